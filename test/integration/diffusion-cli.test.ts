/**
 * A Stable Diffusion export through the real CLI: `models add` takes a folder
 * in the Optimum layout (a tiny one with the real signatures, built here),
 * detects its family and defaults, and a pipeline's `generate` node makes a
 * camera-driven video from it that `export` encodes with ffmpeg.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeTinyDiffusionFolder } from '@reelgraph/models/testing/tiny-diffusion';
import { probeMedia } from '@reelgraph/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalStates, runCli } from '../support/run-cli.ts';

let dir: string;
let dataDir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-diffusion-cli-'));
  dataDir = path.join(dir, 'data');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function pipelineFile(name: string, generate: Record<string, unknown>): Promise<string> {
  const file = path.join(dir, `${name}.reel.json`);
  await writeFile(
    file,
    JSON.stringify({
      format: 'reelgraph.pipeline',
      version: 1,
      nodes: [
        { id: 'prompt', type: 'prompt', params: { text: 'a lighthouse on a cliff at dusk' } },
        { id: 'camera', type: 'camera-move', params: { preset: 'pan-right', framing: 'wide', intensity: 0.5, easing: 'linear' } },
        { id: 'shot', type: 'generate', params: { width: 96, height: 64, duration: 0.5, fps: 8, ...generate } },
        { id: 'export', type: 'export', params: { format: 'mp4', filename: name } },
      ],
      edges: [
        { from: { node: 'prompt', port: 'prompt' }, to: { node: 'shot', port: 'prompt' } },
        { from: { node: 'camera', port: 'camera' }, to: { node: 'shot', port: 'camera' } },
        { from: { node: 'shot', port: 'video' }, to: { node: 'export', port: 'video' } },
      ],
    }),
  );
  return file;
}

describe('a Stable Diffusion export', () => {
  it('is added with its family and defaults, and generates a camera-driven video', async () => {
    const folder = path.join(dir, 'sd-turbo-tiny');
    await writeTinyDiffusionFolder(folder);
    const added = await runCli(['models', 'add', folder, '--id', 'me/sd-turbo-tiny', '--data-dir', dataDir]);
    expect(added.code, added.stderr).toBe(0);
    const listed = (JSON.parse((await runCli(['models', 'list', '--json', '--data-dir', dataDir])).stdout) as { id: string; family: string; tasks: string[]; description: string }[]).find(
      (model) => model.id === 'me/sd-turbo-tiny',
    );
    expect(listed).toMatchObject({ family: 'diffusion', tasks: ['text-to-video', 'image-to-video', 'inpaint'] });
    expect(listed!.description).toContain('Stable Diffusion 1.x/2.x distilled (Turbo)');
    expect(listed!.description).toContain('defaults 1 step, guidance 0');

    const run = await runCli(['run', await pipelineFile('tiny-turbo', { model: 'me/sd-turbo-tiny' }), '--json', '--data-dir', dataDir]);
    expect(run.code, run.stderr).toBe(0);
    expect(finalStates(run.lines)).toMatchObject({ shot: 'done', export: 'done' });
    const exported = run.lines.find((line) => line.type === 'node.output' && line.nodeId === 'export') as { outputs: { file: { path: string } } };
    expect(await probeMedia(path.join(dataDir, exported.outputs.file.path))).toMatchObject({ codec: 'h264', width: 96, height: 64, frameCount: 4 });

    // A diffusion-only setting is part of the result: changing it re-renders the shot.
    const again = await runCli(['run', await pipelineFile('tiny-turbo-2', { model: 'me/sd-turbo-tiny', steps: 2 }), '--json', '--data-dir', dataDir]);
    expect(again.code, again.stderr).toBe(0);
    expect(finalStates(again.lines)).toMatchObject({ shot: 'done' });
  });

  it('adds an SDXL-Turbo-style export (two text encoders), and one without a VAE encoder for text only', async () => {
    const xl = path.join(dir, 'sdxl-turbo-tiny');
    await writeTinyDiffusionFolder(xl, { variant: 'sdxl' });
    const added = await runCli(['models', 'add', xl, '--id', 'me/sdxl-turbo-tiny', '--data-dir', dataDir]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^Added me\/sdxl-turbo-tiny \(diffusion; text-to-video, image-to-video, inpaint\), \d+ files/);
    const textOnly = path.join(dir, 'no-encoder');
    await writeTinyDiffusionFolder(textOnly, { vaeEncoder: false });
    expect((await runCli(['models', 'add', textOnly, '--id', 'me/text-only', '--data-dir', dataDir])).code).toBe(0);
    const listed = JSON.parse((await runCli(['models', 'list', '--json', '--data-dir', dataDir])).stdout) as { id: string; tasks: string[]; description: string }[];
    expect(listed.find((m) => m.id === 'me/sdxl-turbo-tiny')!.description).toContain('SDXL distilled (Turbo)');
    expect(listed.find((m) => m.id === 'me/text-only')).toMatchObject({ tasks: ['text-to-video'] });
  });

  it('refuses a folder with a broken part, saying which', async () => {
    const folder = path.join(dir, 'broken');
    await writeTinyDiffusionFolder(folder);
    await writeFile(path.join(folder, 'scheduler', 'scheduler_config.json'), JSON.stringify({ _class_name: 'EulerDiscreteScheduler', timestep_spacing: 'sideways' }));
    const refused = await runCli(['models', 'add', folder, '--data-dir', dataDir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/timestep_spacing/);
  });
});
