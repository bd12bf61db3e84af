import { PROCEDURAL_MODEL } from '@reelgraph/models';
import { describe, expect, it } from 'vitest';
import generate from './generate.ts';
import inpaint from './inpaint.ts';
import type { MaskKeyframe } from './mask/mask-keyframes.ts';
import { testContext } from './media/test-support.ts';
import { CancelledError, NodeError } from './sdk/define-node.ts';
import { videoFrame, type MaskValue, type PromptValue, type VideoValue } from './sdk/values.ts';

const W = 96;
const H = 64;
const promptOf = (text: string): PromptValue => ({ kind: 'prompt', text, negative: '', schedule: [] });
const region: MaskKeyframe[] = [{ time: 0, x: 0.5, y: 0.5, width: 0.5, height: 0.5 }];
type Params = Parameters<typeof inpaint.run>[0]['params'];
const defaults: Params = { model: PROCEDURAL_MODEL.id, shape: 'rectangle', region, feather: 0, seed: 4 };

let source: VideoValue | undefined;
async function stormySea(): Promise<VideoValue> {
  source ??= (
    await generate.run({
      inputs: { prompt: promptOf('a stormy sea'), camera: undefined, reference: undefined },
      params: { model: PROCEDURAL_MODEL.id, width: W, height: H, duration: 0.5, fps: 12, seed: 1, strength: 0 },
      ctx: testContext(),
    })
  ).video;
  return source;
}

const run = async (params: Partial<Params> = {}, mask?: MaskValue, ctx = testContext()) =>
  (await inpaint.run({ inputs: { video: await stormySea(), mask, prompt: promptOf('glowing aurora') }, params: { ...defaults, ...params }, ctx })).video;

/** Mean absolute difference of two frames over the pixels where `where(x, y)` holds. */
function differenceWhere(a: Uint8Array, b: Uint8Array, where: (x: number, y: number) => boolean): number {
  let sum = 0;
  let count = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (!where(x, y)) continue;
      for (let c = 0; c < 3; c++) sum += Math.abs(a[(y * W + x) * 3 + c]! - b[(y * W + x) * 3 + c]!);
      count += 3;
    }
  }
  return sum / count;
}

describe('inpaint node', () => {
  it('declares video, optional mask and prompt inputs, and runs on the accelerator queue', () => {
    expect(inpaint).toMatchObject({ type: 'inpaint', category: 'Generation', device: 'accelerator' });
    expect(Object.entries(inpaint.inputs).map(([name, spec]) => `${name}:${spec.type}${spec.optional ? '?' : ''}`)).toEqual([
      'video:VIDEO',
      'mask:MASK?',
      'prompt:PROMPT',
    ]);
    expect(inpaint.params.model).toMatchObject({ kind: 'model', task: 'inpaint' });
  });

  it('regenerates inside the region and leaves every pixel outside it as it was', async () => {
    const original = await stormySea();
    const video = await run();
    expect(video).toMatchObject({ width: W, height: H, fps: 12, frameCount: original.frameCount });
    // Region: columns 24..71, rows 16..47.
    const inside = (x: number, y: number) => x >= 24 && x < 72 && y >= 16 && y < 48;
    for (let i = 0; i < video.frameCount; i++) {
      // Another prompt inside: tens of levels on average (two prompts differ by 60+).
      expect(differenceWhere(videoFrame(video, i), videoFrame(original, i), inside)).toBeGreaterThan(20);
      expect(differenceWhere(videoFrame(video, i), videoFrame(original, i), (x, y) => !inside(x, y))).toBe(0);
    }
  });

  it('feathers the region’s edge and keeps what lies beyond the feather', async () => {
    const original = await stormySea();
    const video = await run({ shape: 'ellipse', feather: 10 });
    // Ellipse with radii 24 and 16 about (48, 32); the feather reaches 5 px past the outline.
    const reach = (x: number, y: number) => Math.hypot((x + 0.5 - 48) / 24, (y + 0.5 - 32) / 16);
    const frame = (v: VideoValue) => videoFrame(v, 2);
    expect(differenceWhere(frame(video), frame(original), (x, y) => reach(x, y) > 1 + 6 / 16)).toBe(0);
    expect(differenceWhere(frame(video), frame(original), (x, y) => reach(x, y) < 0.5)).toBeGreaterThan(20);
  });

  it('uses a wired mask, which must match the video', async () => {
    const original = await stormySea();
    // Left half white.
    const data = new Uint8Array(W * H).map((_, i) => (i % W < W / 2 ? 255 : 0));
    const video = await run({}, { kind: 'mask', width: W, height: H, frameCount: 1, data });
    expect(differenceWhere(videoFrame(video, 0), videoFrame(original, 0), (x) => x < W / 2)).toBeGreaterThan(20);
    expect(differenceWhere(videoFrame(video, 0), videoFrame(original, 0), (x) => x >= W / 2)).toBe(0);
    const wrongSize = { kind: 'mask' as const, width: 10, height: 10, frameCount: 1, data: new Uint8Array(100) };
    await expect(run({}, wrongSize)).rejects.toThrow(NodeError);
    await expect(run({}, wrongSize)).rejects.toThrow(/mask is 10×10 but the video is 96×64/);
    const wrongLength = { kind: 'mask' as const, width: W, height: H, frameCount: 2, data: new Uint8Array(2 * W * H) };
    await expect(run({}, wrongLength)).rejects.toThrow(/mask has 2 frames but the video has 6/);
  });

  it('follows a moving region', async () => {
    const original = await stormySea();
    const moving: MaskKeyframe[] = [
      { time: 0, x: 0.25, y: 0.5, width: 0.3, height: 0.5 },
      { time: 5 / 12, x: 0.75, y: 0.5, width: 0.3, height: 0.5 },
    ];
    const video = await run({ region: moving });
    const left = (x: number) => x < W / 2;
    expect(differenceWhere(videoFrame(video, 0), videoFrame(original, 0), (x) => !left(x))).toBe(0);
    expect(differenceWhere(videoFrame(video, 5), videoFrame(original, 5), left)).toBe(0);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(run({}, undefined, testContext({ signal: controller.signal }))).rejects.toBeInstanceOf(CancelledError);
  });
});
