import { describe, expect, it } from 'vitest';
import { ESRGAN_SLIM_MODEL } from './esrgan/esrgan-manifest.ts';
import { IDENTITY_MATRIX } from './pixel/warp-frames.ts';
import { registerModel } from './model-manifest.ts';
import { PROCEDURAL_MODEL } from './procedural/procedural-manifest.ts';
import { openShotGenerator, type ShotRequest } from './shot-generator.ts';

const shot = (prompts: [string, string, number][]): ShotRequest => ({
  width: 64,
  height: 48,
  fps: 12,
  seed: 3,
  frames: prompts.map(([from, to, mix]) => ({ prompt: { from, to, mix }, camera: IDENTITY_MATRIX })),
});

describe('openShotGenerator', () => {
  it('renders the built-in procedural family from prompt text: other words, other frames; the same, the same', async () => {
    const render = async (request: ShotRequest) => (await openShotGenerator(PROCEDURAL_MODEL.id, request, { device: 'cpu' })).render(0, request.frames.length);
    const sunset = await render(shot([['a sunset over the ocean', 'a sunset over the ocean', 0], ['a sunset over the ocean', 'a forest at night', 1]]));
    expect(sunset).toHaveLength(2 * 64 * 48 * 3);
    const again = await render(shot([['a sunset over the ocean', 'a sunset over the ocean', 0], ['a forest at night', 'a forest at night', 0]]));
    // Mix 1 towards "forest" is the forest prompt itself.
    expect(again).toEqual(sunset);
    const first = sunset.subarray(0, 64 * 48 * 3);
    const second = sunset.subarray(64 * 48 * 3);
    let difference = 0;
    for (let i = 0; i < first.length; i++) difference += Math.abs(first[i]! - second[i]!);
    expect(difference / first.length).toBeGreaterThan(10);
  });

  it('names what is wrong with a model that cannot make shots', async () => {
    await expect(openShotGenerator('someone/missing', shot([['x', 'x', 0]]))).rejects.toThrow('The model "someone/missing" is not installed');
    await expect(openShotGenerator(ESRGAN_SLIM_MODEL.id, shot([['x', 'x', 0]]))).rejects.toThrow('is an esrgan model, which does not make shots');
    registerModel({ ...PROCEDURAL_MODEL, id: 'test/sd-turbo', family: 'diffusion', files: [{ path: 'model_index.json', sha256: '0'.repeat(64), bytes: 1 }] });
    await expect(openShotGenerator('test/sd-turbo', shot([['x', 'x', 0]]))).rejects.toThrow('has no files installed');
  });
});
