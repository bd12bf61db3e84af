import { GraphBuilder } from '../onnx/graph-builder.ts';

/** y = x·2 + 1 over four floats: enough to prove a provider can open and run a session. */
export interface ProbeModel {
  bytes: Uint8Array;
  input: number[];
  expected: number[];
}

export function buildProbeModel(): ProbeModel {
  const g = new GraphBuilder('reelgraph_probe');
  g.output(g.add(g.mul(g.input('x', 'float32', [4]), 2), 1), 'y');
  const input = [0, 1, -2, 0.5];
  return { bytes: g.build(), input, expected: input.map((v) => v * 2 + 1) };
}
