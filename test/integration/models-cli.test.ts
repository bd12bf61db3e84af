/**
 * `reelgraph models` through the real CLI: add a folder of weights (a copy of
 * ESRGAN slim ×2), list it, use it in a pipeline, catch a flipped byte with
 * verify, remove it, and refuse folders it cannot run, in words.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { esrganSlimFolder } from '@reelgraph/models/esrgan-slim-files';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalStates, runCli } from '../support/run-cli.ts';

let dir: string;
let dataDir: string;
let weights: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-models-'));
  dataDir = path.join(dir, 'data');
  weights = path.join(dir, 'my-esrgan');
  await cp(path.join(esrganSlimFolder(), 'models', 'x2'), weights, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function pipeline(name: string, model: string, scale: string): Promise<string> {
  const file = path.join(dir, `${name}.reel.json`);
  await writeFile(
    file,
    JSON.stringify({
      format: 'reelgraph.pipeline',
      version: 1,
      nodes: [
        { id: 'prompt', type: 'prompt', params: { text: 'a calm sea' } },
        { id: 'shot', type: 'generate', params: { width: 64, height: 64, duration: 0.25, fps: 8 } },
        { id: 'enlarge', type: 'upscale', params: { model, scale } },
      ],
      edges: [
        { from: { node: 'prompt', port: 'prompt' }, to: { node: 'shot', port: 'prompt' } },
        { from: { node: 'shot', port: 'video' }, to: { node: 'enlarge', port: 'video' } },
      ],
    }),
  );
  return file;
}

interface Listed {
  id: string;
  family: string;
  tasks: string[];
  scales?: number[];
  builtIn: boolean;
  bytes: number;
  licence: string;
}

describe('reelgraph models', () => {
  it('adds, lists, runs, verifies and removes a model folder', async () => {
    const before = JSON.parse((await runCli(['models', 'list', '--json', '--data-dir', dataDir])).stdout) as Listed[];
    expect(before.map((m) => [m.id, m.builtIn])).toEqual([
      ['reelgraph/procedural-field', true],
      ['upscalerjs/esrgan-slim', true],
      ['upscalerjs/psnr-small', true],
      ['hzwer/rife-4.6', true],
    ]);

    const added = await runCli(['models', 'add', weights, '--id', 'me/esrgan-x2', '--licence', 'MIT', '--data-dir', dataDir]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^Added me\/esrgan-x2 \(esrgan; upscale\), 2 files, /);
    const listed = JSON.parse((await runCli(['models', 'list', '--json', '--data-dir', dataDir])).stdout) as Listed[];
    expect(listed.find((m) => m.id === 'me/esrgan-x2')).toMatchObject({ family: 'esrgan', tasks: ['upscale'], scales: [2], builtIn: false, licence: 'MIT' });
    expect(listed.find((m) => m.id === 'me/esrgan-x2')!.bytes).toBeGreaterThan(500_000);
    const again = await runCli(['models', 'add', weights, '--id', 'me/esrgan-x2', '--data-dir', dataDir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('A model "me/esrgan-x2" is already installed; remove it first');

    const run = await runCli(['run', await pipeline('installed', 'me/esrgan-x2', '2'), '--json', '--data-dir', dataDir]);
    expect(run.code, run.stderr).toBe(0);
    const output = run.lines.find((l) => l.type === 'node.output' && l.nodeId === 'enlarge') as { outputs: { video: { width: number; height: number } } };
    expect(output.outputs.video).toMatchObject({ width: 128, height: 128 });
    const cached = await runCli(['run', await pipeline('installed', 'me/esrgan-x2', '2'), '--json', '--data-dir', dataDir]);
    expect(finalStates(cached.lines).enlarge).toBe('cached');
    const wrongScale = await runCli(['run', await pipeline('wrong-scale', 'me/esrgan-x2', '4'), '--json', '--data-dir', dataDir]);
    expect(wrongScale.code).toBe(2);
    const invalid = wrongScale.lines.find((l) => l.type === 'pipeline.invalid') as { issues: { nodeId: string; param: string; message: string }[] };
    expect(invalid.issues).toEqual([expect.objectContaining({ nodeId: 'enlarge', param: 'scale', message: '"scale" must be ×2: "me/esrgan-x2" does not upscale ×4.' })]);

    expect((await runCli(['models', 'verify', '--data-dir', dataDir])).stdout).toBe('me/esrgan-x2: ok\n');
    const shard = path.join(dataDir, 'models', 'me', 'esrgan-x2', 'group1-shard1of1.bin');
    const bytes = await readFile(shard);
    bytes[1000] = bytes[1000]! ^ 0x01;
    await writeFile(shard, bytes);
    const verified = await runCli(['models', 'verify', 'me/esrgan-x2', '--data-dir', dataDir]);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toBe('me/esrgan-x2: damaged\n  group1-shard1of1.bin does not match its sha256: it changed or is damaged.\n');

    expect((await runCli(['models', 'remove', 'me/esrgan-x2', '--data-dir', dataDir])).code).toBe(0);
    const after = JSON.parse((await runCli(['models', 'list', '--json', '--data-dir', dataDir])).stdout) as Listed[];
    expect(after.map((m) => m.id)).toEqual(['reelgraph/procedural-field', 'upscalerjs/esrgan-slim', 'upscalerjs/psnr-small', 'hzwer/rife-4.6']);
    const missing = await runCli(['run', await pipeline('missing', 'me/esrgan-x2', '2'), '--data-dir', dataDir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr + missing.stdout).toContain('names no known model ("me/esrgan-x2")');
    expect(missing.stderr + missing.stdout).toContain('or install it (reelgraph models pull me/esrgan-x2, or models add DIR --id me/esrgan-x2)');
    // New weights under the same id: the cache key follows the files' hashes, so nothing stale is served.
    const retrained = path.join(dir, 'retrained');
    await cp(weights, retrained, { recursive: true });
    const retrainedShard = path.join(retrained, 'group1-shard1of1.bin');
    const changed = await readFile(retrainedShard);
    changed[4000] = changed[4000]! ^ 0x01;
    await writeFile(retrainedShard, changed);
    expect((await runCli(['models', 'add', retrained, '--id', 'me/esrgan-x2', '--data-dir', dataDir])).code).toBe(0);
    const rerun = await runCli(['run', await pipeline('installed', 'me/esrgan-x2', '2'), '--json', '--data-dir', dataDir]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(finalStates(rerun.lines)).toMatchObject({ shot: 'cached', enlarge: 'done' });

    const builtIn = await runCli(['models', 'remove', 'upscalerjs/esrgan-slim', '--data-dir', dataDir]);
    expect(builtIn.code).toBe(2);
    expect(builtIn.stderr).toContain('It is built in, and cannot be removed.');
  });

  it('refuses folders it cannot run, saying what is missing', async () => {
    const diffusion = path.join(dir, 'sd-turbo');
    await mkdir(diffusion, { recursive: true });
    await writeFile(path.join(diffusion, 'model_index.json'), '{}');
    const refused = await runCli(['models', 'add', diffusion, '--data-dir', dataDir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('This Stable Diffusion folder has no unet/model.onnx; Reelgraph runs ONNX exports in the Optimum layout');

    const empty = path.join(dir, 'empty');
    await mkdir(empty);
    const nothing = await runCli(['models', 'add', empty, '--data-dir', dataDir]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('No model Reelgraph knows is in this folder');
    const notAnId = await runCli(['models', 'add', weights, '--id', '../../etc', '--data-dir', dataDir]);
    expect(notAnId.code).toBe(2);
    expect(notAnId.stderr).toContain('"../../etc" is not a model id');
  });
});
