import cameraMove from './camera-move.ts';
import concat from './concat.ts';
import exportNode from './export.ts';
import generate from './generate.ts';
import inpaint from './inpaint.ts';
import interpolate from './interpolate.ts';
import lastFrame from './last-frame.ts';
import loadVideo from './load-video.ts';
import mask from './mask.ts';
import prompt from './prompt.ts';
import referenceImage from './reference-image.ts';
import type { AnyNodeDefinition } from './sdk/define-node.ts';
import upscale from './upscale.ts';

/** The node kinds every engine starts with, in palette order. */
export const builtinNodes: readonly AnyNodeDefinition[] = [prompt, cameraMove, referenceImage, loadVideo, generate, mask, inpaint, upscale, interpolate, concat, lastFrame, exportNode];
