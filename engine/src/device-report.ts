import { chooseDevice, describeDeviceChoice, listModels, modelDigest } from '@reelgraph/models';
import type { ModelSummary } from './protocol/protocol.ts';

/** The device in use and why better ones were skipped, e.g. "cpu (webgpu skipped: no adapter)". */
export async function deviceReport(): Promise<{ name: string; reasons: string[]; line: string }> {
  const choice = await chooseDevice({ log: () => undefined });
  return {
    name: choice.device,
    reasons: choice.skipped.map((s) => `${s.device} skipped: ${s.reason}`),
    line: describeDeviceChoice(choice),
  };
}

/** The installed models, as clients see them. */
export function modelSummaries(): ModelSummary[] {
  return listModels().map((model) => ({
    id: model.id,
    title: model.name,
    tasks: [...model.tasks],
    description: model.description,
    licence: model.licence,
    sha256: modelDigest(model),
    family: model.family,
    builtIn: model.folder === undefined,
    bytes: model.files.reduce((sum, file) => sum + file.bytes, 0),
  }));
}
