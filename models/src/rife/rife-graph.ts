/**
 * RIFE 4.x (an ncnn export) as one ONNX graph for frames: two uint8 RGB
 * frames and a timestep in, the frame between them out.
 *
 * Inputs `frame0` and `frame1` are (1, height, width, 3) uint8 with height
 * and width multiples of 32 (the network halves the size five times; the
 * caller pads, as rife-ncnn-vulkan does, with black); `timestep` is a float
 * (1) in (0, 1). Output `frame` is (1, height, width, 3) uint8.
 *
 * Pixels are scaled to 0–1 and the timestep is given as a one-channel plane,
 * as rife-ncnn-vulkan feeds the network; the result is scaled back and
 * rounded half up (its `v · 255 + 0.5`, truncated). RIFE's custom
 * `rife.Warp` layer samples the image bilinearly at each pixel plus its flow,
 * clamped to the border: GridSample with `align_corners` and `border`
 * padding, on a grid built once in the graph from the frame's size.
 */
import { addNcnnLayers } from '../ncnn/ncnn-graph.ts';
import { NcnnModelError, type NcnnModel } from '../ncnn/ncnn-model.ts';
import { GraphBuilder, type Tensor } from '../onnx/graph-builder.ts';

type F32 = Tensor<'float32'>;

/** Each side of a frame RIFE takes is a multiple of this. */
export const RIFE_ALIGN = 32;

export function rifeGraph(model: NcnnModel): Uint8Array {
  const inputNames = model.layers.filter((layer) => layer.type === 'Input').map((layer) => layer.outputs[0]!);
  if (inputNames.length !== 3) throw new NcnnModelError(`A RIFE 4 model takes two frames and a timestep; this one has ${inputNames.length} inputs.`);
  if (!model.layers.some((layer) => layer.outputs.includes('out0'))) throw new NcnnModelError('A RIFE 4 model answers "out0"; this one does not.');

  const g = new GraphBuilder('rife');
  const frame = (name: string) => g.transpose(g.mul(g.cast(g.input(name, 'uint8', [1, 'height', 'width', 3]), 'float32'), 1 / 255), [0, 3, 1, 2]) as F32;
  const img0 = frame('frame0');
  const img1 = frame('frame1');
  const size = g.slice(g.shape(img0), [2], [4]);
  const timestep = g.expand(g.reshape(g.input('timestep', 'float32', [1]), [1, 1, 1, 1]), g.concat([g.constant('int64', [1, 1]), size], 0));

  const toGrid = flowToGrid(g, size);
  const blobs = addNcnnLayers(g, model, new Map(inputNames.map((name, i) => [name, [img0, img1, timestep][i]!])), {
    'rife.Warp': ([image, flow]) => g.gridSample(image!, toGrid(flow!), { mode: 'linear', paddingMode: 'border', alignCorners: true }) as F32,
  });

  const out = g.clip(g.floor(g.add(g.mul(blobs.get('out0')!, 255), 0.5)), 0, 255);
  g.output(g.cast(g.transpose(out, [0, 2, 3, 1]), 'uint8'), 'frame');
  return g.build();
}

/**
 * A flow (1, 2, h, w) of pixel offsets as GridSample's grid (1, h, w, 2) of
 * normalised positions: (x + dx)·2/(w − 1) − 1, likewise for y. The base grid
 * and scales are made once and shared by every warp.
 */
function flowToGrid(g: GraphBuilder, size: Tensor<'int64'>): (flow: F32) => F32 {
  let made: { base: F32; scale: F32 } | undefined;
  const make = () => {
    const sizeF = g.cast(size, 'float32');
    const [h, w] = [g.gather(sizeF, 0), g.gather(sizeF, 1)];
    const scaleH = g.div(2, g.sub(h, 1));
    const scaleW = g.div(2, g.sub(w, 1));
    const xs = g.sub(g.mul(g.range(g.constant('float32', 0), w, g.constant('float32', 1)), scaleW), 1);
    const ys = g.sub(g.mul(g.range(g.constant('float32', 0), h, g.constant('float32', 1)), scaleH), 1);
    const planeShape = g.concat([g.constant('int64', [1, 1]), size], 0);
    const base = g.concat([g.expand(g.reshape(xs, [1, 1, 1, -1]), planeShape), g.expand(g.reshape(ys, [1, 1, -1, 1]), planeShape)], 1) as F32;
    const scale = g.reshape(g.concat([g.unsqueeze(scaleW, [0]), g.unsqueeze(scaleH, [0])], 0), [1, 2, 1, 1]) as F32;
    return { base, scale };
  };
  return (flow) => {
    made ??= make();
    return g.transpose(g.add(made.base, g.mul(flow, made.scale)), [0, 2, 3, 1]) as F32;
  };
}
