#!/usr/bin/env -S npx tsx
/**
 * `reelgraph` — run, validate and inspect pipelines from a terminal.
 * Exit codes: 0 success, 1 the run failed, 2 the pipeline or the arguments
 * are invalid, 130 cancelled with Ctrl-C.
 */
import { modelsCommand } from './models-command.ts';
import { nodesCommand } from './nodes-command.ts';
import { runCommand } from './run-command.ts';
import { serveCommand } from './serve-command.ts';
import { UsageError } from './usage-error.ts';
import { validateCommand } from './validate-command.ts';
import { workerCommand } from './worker-command.ts';

const USAGE = `Usage: reelgraph <command> [options]

Commands:
  run FILE [--out DIR] [--target NODE_ID]... [--no-cache] [--json]
                         Run a pipeline; --json prints one event per line.
  validate FILE [--json] Check a pipeline and list every problem.
  nodes [--json]         List the node kinds.
  models list [--json] | add DIR [--id OWNER/NAME] | pull URL|ID | remove ID | verify [ID]
                         The models: built in, and installed in the data dir.
  serve [--host 127.0.0.1] [--port 8790] [--token T] [--allow-origin URL]...
                         Start the engine server (WebSocket, media, uploads).
  worker --redis URL --shared-cache PLACE [--models ID]... [--name N]
         [--max-jobs N] [--max-memory SIZE] [--cpu-slots N]
                         A render-farm worker: takes node jobs from Redis.

run and serve take --redis URL --shared-cache PLACE to send the nodes they
execute to a farm's workers (PLACE: a folder every machine mounts, or
s3://bucket/prefix?endpoint=URL); without --redis every node runs here.

Every command takes --data-dir DIR (default: $REELGRAPH_HOME, else the
per-user data folder, e.g. ~/.local/share/reelgraph). run and serve take
--device auto|cpu|webgpu|cuda (default: REELGRAPH_DEVICE, else auto), and
what one run may cost: --max-nodes N (default 2000 node executions),
--max-files N (default 100 exported files), --max-written SIZE (default
64G written to the cache and exports).`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  run: runCommand,
  validate: validateCommand,
  nodes: nodesCommand,
  models: modelsCommand,
  serve: serveCommand,
  worker: workerCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
