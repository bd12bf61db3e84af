import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_HOST, DEFAULT_PORT, isLoopback, startServer, type RunningServer } from '../server/reelgraph-server.ts';
import { JournalLockedError } from '../server/run-journal.ts';
import { deviceReport } from '../device-report.ts';
import { applyDeviceOption } from './device-option.ts';
import { budgetFromFlags, BUDGET_OPTIONS } from './budget-options.ts';
import { coordinatorOf, FARM_OPTIONS, farmFromFlags } from './farm-options.ts';
import { openEngine } from './open-engine.ts';
import { parseCliArgs } from './parse-cli-args.ts';
import { UsageError } from './usage-error.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs(
    args,
    {
      'data-dir': { type: 'string' },
      host: { type: 'string', default: DEFAULT_HOST },
      port: { type: 'string', default: String(DEFAULT_PORT) },
      token: { type: 'string' },
      device: { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      'editor-dir': { type: 'string' },
      ...BUDGET_OPTIONS,
      ...FARM_OPTIONS,
    },
    0,
  );
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be a port number, not "${values.port}".`);
  applyDeviceOption(values.device);
  // An empty token is no token: it could never be presented, and would lock everyone out.
  const token = (values.token ?? process.env.REELGRAPH_TOKEN) || undefined;
  const farm = await farmFromFlags(values);
  const coordinator = coordinatorOf(farm);
  const engine = await openEngine(values['data-dir'], budgetFromFlags(values), coordinator);
  const device = await deviceReport().catch((error: Error) => {
    console.error(`reelgraph: ${error.message}`);
    return undefined;
  });
  if (!device) return 2;

  let server: RunningServer;
  try {
    server = await startServer({
      engine,
      host: values.host,
      port,
      token,
      extraOrigins: values['allow-origin'] ?? [],
      editorDir: path.resolve(values['editor-dir'] ?? path.join(REPO_ROOT, 'editor', 'dist')),
      examplesDir: path.join(REPO_ROOT, 'examples'),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof JournalLockedError) console.error(`reelgraph: ${error.message}`);
    else if (code === 'EADDRINUSE') console.error(`reelgraph: port ${port} on ${values.host} is in use; stop what holds it or choose another --port.`);
    else throw error;
    return 2;
  }
  if (!isLoopback(values.host)) {
    console.error(
      `\n  WARNING: Reelgraph is listening on ${values.host}, reachable from other machines.\n` +
        (token ? '  Every request must carry the token.\n' : '  No token is set: anyone who can reach this port can run pipelines. Use --token.\n'),
    );
  }
  console.log(`Reelgraph is running: open ${server.url}${token ? `/?token=${encodeURIComponent(token)}` : ''}`);
  console.log(`  data dir: ${engine.dataDir}`);
  console.log(`  device:   ${device.line}`);
  if (farm) console.log(`  farm:     ${farm.redisUrl}, shared cache ${farm.shared.description}`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('Shutting down: cancelling runs…');
  await server.close();
  await coordinator.remote?.close();
  await farm?.shared.close();
  console.log('Stopped.');
  return 0;
}
