/**
 * What kind of model a folder holds, told from its own files, for `reelgraph
 * models add`: the family, what it can do, and which files belong to it.
 * Families Reelgraph cannot run are named and refused, not guessed at.
 */
import { readdir } from 'node:fs/promises';
import { esrganGraph } from './esrgan/esrgan-graph.ts';
import { readLayersModel, readLayersModelFiles } from './esrgan/layers-model.ts';
import type { ModelManifest } from './model-manifest.ts';
import { readRifeModelFolder } from './rife/rife-files.ts';
import { rifeGraph } from './rife/rife-graph.ts';
import { ClipTokenizer, TokenizerFilesError } from './stable-diffusion/clip-tokenizer.ts';
import { diffusionFiles, DiffusionFolderError, readDiffusionFolder, type DiffusionFolder } from './stable-diffusion/diffusion-folder.ts';
import { parseSchedulerConfig, SchedulerConfigError } from './stable-diffusion/schedulers/scheduler-config.ts';

export type DetectedModel = Pick<ModelManifest, 'family' | 'tasks' | 'scales' | 'description'> & {
  /** Paths inside the folder that make up the model. */
  files: string[];
};

export class UnsupportedModelError extends Error {
  override name = 'UnsupportedModelError';
}

export async function detectModelFolder(dir: string): Promise<DetectedModel> {
  const names = new Set(await readdir(dir));
  if (names.has('model_index.json')) return detectDiffusionModel(dir);
  if (names.has('flownet.param')) return detectRifeModel(dir, names);
  if (names.has('model.json')) return detectLayersModel(dir);
  throw new UnsupportedModelError(
    `No model Reelgraph knows is in this folder: it looks for model_index.json (a Stable Diffusion ONNX export), model.json (a TensorFlow.js ESRGAN) or flownet.param (an ncnn RIFE 4), and found ${[...names].slice(0, 8).join(', ') || 'nothing'}.`,
  );
}

function detectRifeModel(dir: string, names: ReadonlySet<string>): DetectedModel {
  if (!names.has('flownet.bin')) throw new UnsupportedModelError('This RIFE folder has flownet.param but no flownet.bin (the weights).');
  // Converting it is the proof: RIFE 4 takes two frames and a timestep; older RIFE versions take no timestep and are refused there.
  rifeGraph(readRifeModelFolder(dir));
  return {
    family: 'rife',
    tasks: ['interpolate'],
    description: 'A RIFE 4 frame-interpolation network (ncnn export).',
    files: ['flownet.param', 'flownet.bin'],
  };
}

function detectLayersModel(dir: string): DetectedModel {
  const { modelJson, shards } = readLayersModelFiles(dir);
  // Converting it is the proof that it is a network Reelgraph runs, and tells its scale.
  const { scale } = esrganGraph(readLayersModel(modelJson, shards));
  if (scale < 2) throw new UnsupportedModelError('model.json holds a network that does not enlarge; Reelgraph runs TensorFlow.js models only as upscalers.');
  const paths = (modelJson as { weightsManifest: { paths: string[] }[] }).weightsManifest.flatMap((group) => group.paths);
  return {
    family: 'esrgan',
    tasks: ['upscale'],
    scales: [scale],
    description: `An ESRGAN-style upscaler (TensorFlow.js layers model) that enlarges ×${scale}.`,
    files: ['model.json', ...paths],
  };
}

async function detectDiffusionModel(dir: string): Promise<DetectedModel> {
  let folder: DiffusionFolder;
  try {
    folder = await readDiffusionFolder(dir);
    // Reading the tokenizers and the scheduler config is the proof that the run will find what it needs.
    for (const tokenizer of [folder.parts.tokenizer, folder.parts.tokenizer2]) if (tokenizer) await ClipTokenizer.fromFolder(tokenizer);
    parseSchedulerConfig(folder.schedulerConfig);
  } catch (error) {
    if (error instanceof DiffusionFolderError || error instanceof TokenizerFilesError || error instanceof SchedulerConfigError) throw new UnsupportedModelError(error.message);
    throw error;
  }
  const kind = `${folder.variant === 'sdxl' ? 'SDXL' : 'Stable Diffusion 1.x/2.x'}${folder.distilled ? ' distilled (Turbo)' : ''}${folder.inpaintingUnet ? ' inpainting' : ''}`;
  const encodes = folder.parts.vaeEncoder !== undefined;
  return {
    family: 'diffusion',
    tasks: encodes ? ['text-to-video', 'image-to-video', 'inpaint'] : ['text-to-video'],
    description: `A ${kind} model (ONNX export, ${folder.nativeSize} px native; defaults ${folder.defaults.steps} step${folder.defaults.steps === 1 ? '' : 's'}, guidance ${folder.defaults.guidance})${encodes ? '' : '; it has no VAE encoder, so it makes pictures from text only'}.`,
    files: await diffusionFiles(dir),
  };
}
