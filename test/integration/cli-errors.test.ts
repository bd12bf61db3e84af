/** Bad input through the real CLI: clear errors, the right exit codes, nothing run. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bad-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: unknown): Promise<string> {
  const target = path.join(dir, name);
  await writeFile(target, typeof content === 'string' ? content : JSON.stringify(content));
  return target;
}

const hostile = {
  format: 'reelgraph.pipeline',
  version: 1,
  nodes: [
    { id: 'a', type: 'load-video', params: { video: '../../../etc/passwd' } },
    { id: 'b', type: 'load-video', params: { video: '/etc/shadow', start: -3 } },
    { id: 'b', type: 'prompt' },
    { id: 'c', type: 'concat', params: { transition: 'wipe', speed: 2 } },
    { id: 'x', type: 'generate-evil' },
    { id: 'e', type: 'export', params: { format: 'exe' } },
  ],
  edges: [
    { from: { node: 'a', port: 'video' }, to: { node: 'c', port: 'clip1' } },
    { from: { node: 'a', port: 'video' }, to: { node: 'c', port: 'clip1' } },
    { from: { node: 'c', port: 'video' }, to: { node: 'c', port: 'clip2' } },
    { from: { node: 'ghost', port: 'video' }, to: { node: 'e', port: 'video' } },
  ],
};

describe('reelgraph validate / run on bad input', () => {
  it('refuses a pipeline made with other weights than the installed model, naming the node and how to get them', async () => {
    const pipeline = {
      format: 'reelgraph.pipeline',
      version: 1,
      models: { 'upscalerjs/esrgan-slim': { sha256: '0'.repeat(64) } },
      nodes: [
        { id: 'clip', type: 'load-video', params: { video: 'clip.mp4' } },
        { id: 'enlarge', type: 'upscale', params: { model: 'upscalerjs/esrgan-slim', scale: '2' } },
      ],
      edges: [{ from: { node: 'clip', port: 'video' }, to: { node: 'enlarge', port: 'video' } }],
    };
    const result = await runCli(['validate', await file('other-weights.reel.json', pipeline), '--json', '--data-dir', dir]);
    expect(result.code).toBe(2);
    const { issues } = result.lines[0] as { issues: { code: string; nodeId?: string; param?: string; message: string }[] };
    const issue = issues.find((i) => i.code === 'model');
    expect(issue).toMatchObject({ nodeId: 'enlarge', param: 'model' });
    expect(issue!.message).toMatch(/it records 000000000000…, the installed ones are [0-9a-f]{12}…\). Get the recorded version with `reelgraph models pull upscalerjs\/esrgan-slim`/);
  });

  it('lists every problem of a hostile pipeline at once, with locations, and exits 2', async () => {
    const result = await runCli(['validate', await file('hostile.reel.json', hostile), '--json', '--data-dir', dir]);
    expect(result.code).toBe(2);
    const { issues } = result.lines[0] as { issues: { code: string; nodeId?: string; param?: string; port?: string }[] };
    const found = issues.map((i) => `${i.code} ${i.nodeId ?? ''} ${i.param ?? i.port ?? ''}`.trim());
    expect(found).toEqual(
      expect.arrayContaining([
        'duplicate-id b',
        'bad-param b start',
        'bad-param c transition',
        'unknown-param c speed',
        'unknown-type x',
        'bad-param e format',
        'input-taken c clip1',
        'cycle c',
        'missing-node',
      ]),
    );
  });

  it('refuses media paths outside the pipeline folder before running anything', async () => {
    const pipeline = {
      format: 'reelgraph.pipeline',
      version: 1,
      nodes: [
        { id: 'a', type: 'load-video', params: { video: '../../../etc/passwd' } },
        { id: 'b', type: 'reference-image', params: { image: '/etc/hostname' } },
      ],
    };
    const dataDir = path.join(dir, 'data-media');
    const result = await runCli(['run', await file('escape.reel.json', pipeline), '--json', '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    const { issues } = result.lines[0] as { issues: { code: string; nodeId: string; message: string }[] };
    expect(issues).toEqual([
      expect.objectContaining({ code: 'media', nodeId: 'a', message: expect.stringMatching(/outside the pipeline's folder/) }),
      expect.objectContaining({ code: 'media', nodeId: 'b', message: expect.stringMatching(/absolute path/) }),
    ]);
    expect(result.lines.some((l) => l.type === 'node.status')).toBe(false);
    expect(await readdir(dataDir).catch(() => [])).not.toContain('outputs');
  });

  it('reports malformed JSON with line and column for a person', async () => {
    const result = await runCli(['validate', await file('broken.reel.json', '{\n  "format": "reelgraph.pipeline",\n  "nodes": [\n    { "id": "a" }\n  ]\n  "edges": []\n}')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/line 6, column 3: The file is not valid JSON/);
  });

  it('says when the file does not exist', async () => {
    const result = await runCli(['run', path.join(dir, 'nope.reel.json'), '--data-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no such file/);
  });

  it('exits 2 with the usage on bad arguments', async () => {
    const unknownFlag = await runCli(['run', 'x.reel.json', '--fast']);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toMatch(/Unknown option '--fast'[\s\S]*Usage: reelgraph/);
    const unknownCommand = await runCli(['render']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/Unknown command "render"/);
  });

  it('exits 1 when a node fails at run time, naming the node', async () => {
    await writeFile(path.join(dir, 'not-a-video.mp4'), 'this is text, not a video');
    const pipeline = {
      format: 'reelgraph.pipeline',
      version: 1,
      nodes: [{ id: 'v', type: 'load-video', params: { video: 'not-a-video.mp4' } }],
    };
    const result = await runCli(['run', await file('fails.reel.json', pipeline), '--json', '--data-dir', path.join(dir, 'data-fail')]);
    expect(result.code).toBe(1);
    expect(result.lines.find((l) => l.type === 'node.status' && l.state === 'error')).toMatchObject({ nodeId: 'v', error: expect.any(String) });
    expect(result.lines.at(-1)).toMatchObject({ type: 'run.finished', status: 'failed' });
  });

  it('lists the catalog', async () => {
    const result = await runCli(['nodes', '--json']);
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as { type: string }[];
    expect(entries.map((e) => e.type)).toEqual(['prompt', 'camera-move', 'reference-image', 'load-video', 'generate', 'mask', 'inpaint', 'upscale', 'interpolate', 'concat', 'last-frame', 'export']);
  });
});
