import type { ModelManifest } from '../model-manifest.ts';

/** The built-in model. Its description is what the catalog and the model picker show: it says plainly what the model is not. */
export const PROCEDURAL_MODEL = {
  id: 'reelgraph/procedural-field',
  name: 'Procedural field (built in)',
  family: 'procedural',
  tasks: ['text-to-video', 'image-to-video', 'inpaint'],
  description:
    'A procedural generator, not a trained text-to-video model: a small neural field (an MLP over Fourier features, with fixed weights) rendered as an ONNX graph. ' +
    'Your prompt picks its palette, light and mood from a small lexicon of colour, scene, light and mood words (other words reshape it through their hash); ' +
    'the seed and time move its flowing abstract shapes, the camera move flies through it, and a reference image is animated by the same camera. ' +
    'It draws no objects or people. It needs no download and runs anywhere.',
  licence: 'Same as Reelgraph',
  source: 'Built in: the graph is made in code (models/src/procedural); nothing is downloaded.',
  files: [],
} as const satisfies ModelManifest;
