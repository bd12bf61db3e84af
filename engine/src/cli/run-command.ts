import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { FileValue, Outputs } from '@reelgraph/nodes';
import { loadPipelineFile } from '../pipeline/load-pipeline.ts';
import { PipelineInvalidError } from '../pipeline/pipeline-issue.ts';
import type { RunEvent } from '../run/run-events.ts';
import { deviceReport } from '../device-report.ts';
import { applyDeviceOption } from './device-option.ts';
import { budgetFromFlags, BUDGET_OPTIONS } from './budget-options.ts';
import { coordinatorOf, FARM_OPTIONS, farmFromFlags } from './farm-options.ts';
import { openEngine } from './open-engine.ts';
import { COMMON_OPTIONS, parseCliArgs } from './parse-cli-args.ts';
import { printIssues } from './print-issues.ts';
import { TerminalProgress } from './terminal-progress.ts';

export async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(
    args,
    {
      ...COMMON_OPTIONS,
      out: { type: 'string' },
      target: { type: 'string', multiple: true },
      'no-cache': { type: 'boolean', default: false },
      device: { type: 'string' },
      ...BUDGET_OPTIONS,
      ...FARM_OPTIONS,
    },
    1,
  );
  const file = positionals[0]!;
  applyDeviceOption(values.device);
  const farm = await farmFromFlags(values);
  const coordinator = coordinatorOf(farm);
  const engine = await openEngine(values['data-dir'], budgetFromFlags(values), coordinator);
  const json = values.json;
  const display = json ? undefined : new TerminalProgress(process.stdout);

  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);

  try {
    const pipeline = await loadPipelineFile(file, engine.catalog);
    const usesDevice = pipeline.document.nodes.some((node) => engine.catalog.get(node.type)?.device === 'accelerator');
    display?.start(pipeline.document, engine.dataDir, usesDevice ? (await deviceReport()).line : undefined);
    const result = await engine.run(
      { pipeline, targets: values.target ?? [], noCache: values['no-cache'], signal: controller.signal },
      (event) => (json ? console.log(JSON.stringify(forTheWire(event))) : display!.update(event)),
    );
    const files = exportedFiles(result.outputs);
    const shownAs = new Map(files.map((value) => [value, path.join(engine.dataDir, value.path)]));
    if (values.out && result.status === 'succeeded') {
      for (const value of files) shownAs.set(value, await copyExport(value, engine.dataDir, values.out));
      display?.note([...shownAs.values()].map((file) => `wrote ${file}`).join('\n'));
    }
    for (const value of files) if (value.note) display?.note(`${shownAs.get(value)}: ${value.note}`);
    if (result.status === 'cancelled') return 130;
    return result.status === 'succeeded' ? 0 : 1;
  } catch (error) {
    if (!(error instanceof PipelineInvalidError)) throw error;
    printIssues(file, error.issues, json);
    return 2;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    await coordinator.remote?.close();
    await farm?.shared.close();
  }
}

/** Events as JSON lines: a progress preview is described, not dumped. */
function forTheWire(event: RunEvent): unknown {
  if (event.type === 'node.progress' && event.preview) {
    const { preview, ...rest } = event;
    return { ...rest, preview: { width: preview.width, height: preview.height } };
  }
  return event;
}

function exportedFiles(outputs: Map<string, Outputs>): FileValue[] {
  return [...outputs.values()].flatMap((nodeOutputs) => Object.values(nodeOutputs).filter((value): value is FileValue => value.kind === 'file'));
}

/** Copies an exported file (or folder of frames) into `outDir`; returns where it went. */
async function copyExport(value: FileValue, dataDir: string, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const destination = path.join(outDir, path.basename(value.path));
  await cp(path.join(dataDir, value.path), destination, { recursive: true });
  return destination;
}
