import { imageAsFrames, resizeFrames } from '@reelgraph/models';
import { decodeImage, FITS } from './media/decode.ts';
import { withContext } from './media/node-error.ts';
import { defineNode, throwIfAborted } from './sdk/define-node.ts';
import { param } from './sdk/param.ts';
import { port } from './sdk/port.ts';

export default defineNode({
  type: 'reference-image',
  version: 2,
  title: 'Reference image',
  category: 'Input',
  description:
    'A picture (PNG, JPEG or WebP) brought to a size: the first frame or the look for a generator, or a still to animate with a camera move.',
  inputs: {},
  outputs: { image: port.image() },
  params: {
    image: param.file({ accept: ['image'], description: 'A PNG, JPEG or WebP file. Transparent parts become black.' }),
    width: param.int({ default: 512, min: 16, max: 4096, unit: 'px', description: 'Width of the image this node outputs.' }),
    height: param.int({ default: 288, min: 16, max: 4096, unit: 'px', description: 'Height of the image this node outputs.' }),
    fit: param.select({
      options: FITS,
      default: 'cover',
      description: 'cover fills the size and crops what overflows; contain shows all of it with black bars; stretch distorts it to the size.',
    }),
  },
  device: 'cpu',
  deterministic: true,
  async run({ params, ctx }) {
    try {
      const { width, height, fit } = params;
      // ffmpeg decodes (shrinking a huge photo to twice the size first); the fit itself is a bicubic, antialiased resize graph.
      const decoded = await decodeImage(params.image.path, { reduceTo: { width: 2 * width, height: 2 * height }, signal: ctx.signal });
      throwIfAborted(ctx.signal);
      // Every fit of a picture already of the size is the picture itself.
      const pixels = decoded.width === width && decoded.height === height ? decoded.pixels : (await resizeFrames(imageAsFrames(decoded), { width, height, fit })).frames;
      ctx.progress(1, 1);
      return { image: { kind: 'image', width, height, pixels } };
    } catch (error) {
      throw withContext(error, `Could not read the image "${params.image.name}"`);
    }
  },
});
