import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { builtinNodes } from '@reelgraph/nodes';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../catalog.ts';
import { Engine } from '../engine.ts';
import { pipelineOf } from '../testing/pipeline-builder.ts';
import { loadPipelineValue } from './load-pipeline.ts';
import { PipelineInvalidError, type PipelineIssue } from './pipeline-issue.ts';

const catalog = new Catalog(builtinNodes);
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function keysOf(document: unknown): Promise<Map<string, string>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-reusable-'));
  dirs.push(dir);
  const engine = new Engine({ catalog, dataDir: dir });
  const { plan } = await engine.plan({ pipeline: loadPipelineValue(document, catalog) }, { peekOnly: true });
  return plan.keys;
}

function issuesOf(document: unknown): PipelineIssue[] {
  try {
    loadPipelineValue(document, catalog);
  } catch (error) {
    if (error instanceof PipelineInvalidError) return error.issues;
    throw error;
  }
  return [];
}

/** "A shot": a prompt and a camera into generate, exposing the prompt text, the seed, the camera input and the video. */
const shotDefinition = {
  name: 'Shot',
  nodes: [
    { id: 'text', type: 'prompt', params: { text: 'a quiet harbour at dawn' } },
    { id: 'gen', type: 'generate', params: { duration: 1, fps: 12, seed: 5, width: 64, height: 64 } },
  ],
  edges: [{ from: { node: 'text', port: 'prompt' }, to: { node: 'gen', port: 'prompt' } }],
  inputs: { camera: { targets: [{ node: 'gen', port: 'camera' }] } },
  outputs: { video: { node: 'gen', port: 'video' } },
  params: { text: { targets: [{ node: 'text', param: 'text' }] }, seed: { targets: [{ node: 'gen', param: 'seed' }] } },
};

const inline = pipelineOf(
  [
    { id: 'cam', type: 'camera-move', params: { preset: 'push-in' } },
    { id: 'text', type: 'prompt', params: { text: 'a quiet harbour at dawn' } },
    { id: 'gen', type: 'generate', params: { duration: 1, fps: 12, seed: 5, width: 64, height: 64 } },
    { id: 'out', type: 'export', params: { filename: 'x' } },
  ],
  ['text.prompt -> gen.prompt', 'cam.camera -> gen.camera', 'gen.video -> out.video'],
);

const reusable = (useParams: Record<string, unknown> = {}) =>
  pipelineOf(
    [
      { id: 'cam', type: 'camera-move', params: { preset: 'push-in' } },
      { id: 'shot', type: 'graph:shot', params: useParams },
      { id: 'out', type: 'export', params: { filename: 'x' } },
    ],
    ['cam.camera -> shot.camera', 'shot.video -> out.video'],
    { definitions: { shot: shotDefinition } },
  );

describe('reusable graphs', () => {
  it('expand into their nodes, with the same cache keys as the same nodes inline (converting costs no re-render)', async () => {
    const inlineKeys = await keysOf(inline);
    const useKeys = await keysOf(reusable());
    expect([...useKeys.keys()].sort()).toEqual(['cam', 'out', 'shot/gen', 'shot/text']);
    expect(useKeys.get('shot/gen')).toBe(inlineKeys.get('gen'));
    expect(useKeys.get('shot/text')).toBe(inlineKeys.get('text'));
    expect(useKeys.get('out')).toBe(inlineKeys.get('out'));
  });

  it('set the inner params a use exposes, and only those it sets', async () => {
    const base = await keysOf(reusable());
    const reseeded = await keysOf(reusable({ seed: 6 }));
    expect(reseeded.get('shot/text')).toBe(base.get('shot/text'));
    expect(reseeded.get('shot/gen')).not.toBe(base.get('shot/gen'));
    const { document } = loadPipelineValue(reusable({ seed: 6, text: 'a storm' }), catalog);
    expect(document.nodes.find((node) => node.id === 'shot/gen')!.params.seed).toBe(6);
    expect(document.nodes.find((node) => node.id === 'shot/text')!.params.text).toBe('a storm');
  });

  it('nest: a definition may use another, and two uses of one definition stay apart', async () => {
    const film = {
      name: 'Two shots',
      nodes: [
        { id: 'a', type: 'graph:shot', params: { seed: 1 } },
        { id: 'b', type: 'graph:shot', params: { seed: 2 } },
        { id: 'join', type: 'concat', params: { transition: 'cut' } },
      ],
      edges: [
        { from: { node: 'a', port: 'video' }, to: { node: 'join', port: 'clip1' } },
        { from: { node: 'b', port: 'video' }, to: { node: 'join', port: 'clip2' } },
      ],
      inputs: { camera: { targets: [{ node: 'a', port: 'camera' }, { node: 'b', port: 'camera' }] } },
      outputs: { video: { node: 'join', port: 'video' } },
    };
    const document = pipelineOf(
      [
        { id: 'cam', type: 'camera-move' },
        { id: 'film', type: 'graph:film' },
        { id: 'out', type: 'export', params: { filename: 'x' } },
      ],
      ['cam.camera -> film.camera', 'film.video -> out.video'],
      { definitions: { shot: shotDefinition, film } },
    );
    const { document: expanded, source } = loadPipelineValue(document, catalog);
    expect(expanded.nodes.map((node) => node.id).sort()).toEqual(['cam', 'film/a/gen', 'film/a/text', 'film/b/gen', 'film/b/text', 'film/join', 'out']);
    const wires = expanded.edges.map((edge) => `${edge.from.node}.${edge.from.port} -> ${edge.to.node}.${edge.to.port}`).sort();
    expect(wires).toEqual(
      [
        'cam.camera -> film/a/gen.camera',
        'cam.camera -> film/b/gen.camera',
        'film/a/gen.video -> film/join.clip1',
        'film/a/text.prompt -> film/a/gen.prompt',
        'film/b/gen.video -> film/join.clip2',
        'film/b/text.prompt -> film/b/gen.prompt',
        'film/join.video -> out.video',
      ].sort(),
    );
    expect(expanded.definitions).toBeUndefined();
    // What exports embed and the history keeps: the file as written.
    expect(source?.definitions?.film?.name).toBe('Two shots');
    const keys = await keysOf(document);
    expect(keys.get('film/a/gen')).not.toBe(keys.get('film/b/gen'));
  });

  it('refuse, in words, a definition that uses itself, an unknown one, exposed ends that name no node, and params a use does not expose', () => {
    const loop = { name: 'Loop', nodes: [{ id: 'me', type: 'graph:loop', params: {} }], edges: [] };
    expect(issuesOf(pipelineOf([{ id: 'x', type: 'graph:loop' }], [], { definitions: { loop } })).map((i) => i.message)).toEqual([
      'The reusable graph "loop" uses itself (loop → loop); a definition cannot contain itself.',
    ]);
    expect(issuesOf(pipelineOf([{ id: 'x', type: 'graph:nowhere' }])).map((i) => i.message)).toEqual([
      'Node "x" uses the reusable graph "nowhere", which the pipeline does not define.',
    ]);
    const broken = { ...shotDefinition, outputs: { video: { node: 'ghost', port: 'video' } } };
    expect(issuesOf(pipelineOf([{ id: 'x', type: 'graph:shot' }], [], { definitions: { shot: broken } })).map((i) => i.message)).toEqual([
      'The reusable graph "shot" exposes output "video" of node "ghost", which it does not contain.',
    ]);
    expect(issuesOf(reusable({ fps: 30 })).map((i) => i.message)).toEqual([
      'The reusable graph "Shot" exposes no param "fps" (it exposes "text", "seed").',
    ]);
  });

  it('report inner problems under the expanded node id, so a person can find them', () => {
    const bad = { ...shotDefinition, nodes: [shotDefinition.nodes[0], { ...shotDefinition.nodes[1], params: { ...shotDefinition.nodes[1]!.params, fps: 0 } }] };
    const issues = issuesOf(pipelineOf([{ id: 'opening', type: 'graph:shot' }], [], { definitions: { shot: bad } }));
    expect(issues.some((issue) => issue.nodeId === 'opening/gen' && issue.param === 'fps')).toBe(true);
  });
});
