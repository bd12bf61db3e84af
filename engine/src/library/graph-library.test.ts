import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReusableGraph } from '../pipeline/pipeline-document.ts';
import { GraphLibrary, libraryIdFor, LibraryProblem } from './graph-library.ts';

let root: string;
let library: GraphLibrary;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'reelgraph-library-'));
  library = new GraphLibrary(path.join(root, 'library'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function graph(name: string, extra: Partial<ReusableGraph> = {}): ReusableGraph {
  return {
    name,
    nodes: [{ id: 'gen', type: 'generate-clip', params: { prompt: 'a fox' } }],
    edges: [],
    inputs: {},
    outputs: { video: { node: 'gen', port: 'video' } },
    params: {},
    ...extra,
  };
}

describe('library ids', () => {
  it('makes a safe slug of any name, never a path', () => {
    expect(libraryIdFor('Opening shot')).toBe('Opening-shot');
    expect(libraryIdFor('../x')).toBe('x');
    expect(libraryIdFor('../../etc/passwd')).toBe('etc-passwd');
    expect(libraryIdFor('a\\b/c')).toBe('a-b-c');
    expect(libraryIdFor('...')).toBe('graph');
    expect(libraryIdFor('')).toBe('graph');
    expect(libraryIdFor('CON')).toBe('graph-CON');
    expect(libraryIdFor('Café crème_1')).toBe('Cafe-creme_1');
    expect(libraryIdFor('x'.repeat(300)).length).toBeLessThanOrEqual(64);
  });
});

describe('the graph library', () => {
  it('is empty before anything is saved', async () => {
    expect(await library.list()).toEqual({ entries: [], skipped: [] });
  });

  it('saves, lists by name and gives back the whole entry with the definitions it uses', async () => {
    const inner = graph('Inner');
    const saved = await library.save(
      { definitionId: 'opening', definition: graph('Opening shot', { description: 'A fox.', nodes: [{ id: 'in', type: 'graph:inner', params: {} }] }), definitions: { inner } },
      new Date('2026-01-02T03:04:05.000Z'),
    );
    expect(saved.id).toBe('Opening-shot');
    await library.save({ definitionId: 'b', definition: graph('Another') }, new Date('2026-01-03T00:00:00.000Z'));
    const { entries, skipped } = await library.list();
    expect(skipped).toEqual([]);
    expect(entries).toEqual([
      { id: 'Another', name: 'Another', savedAt: '2026-01-03T00:00:00.000Z' },
      { id: 'Opening-shot', name: 'Opening shot', description: 'A fox.', savedAt: '2026-01-02T03:04:05.000Z' },
    ]);
    const entry = await library.get('Opening-shot');
    expect(entry).toMatchObject({ format: 'reelgraph.graph', version: 1, id: 'Opening-shot', definitionId: 'opening', definitions: { inner } });
    expect(entry.definition.nodes[0]!.type).toBe('graph:inner');
    // Only the entry files: the atomic writer leaves no temp behind.
    expect(await readdir(library.dir)).toEqual(['Another.json', 'Opening-shot.json']);
  });

  it('overwrites an entry saved again under the same name', async () => {
    await library.save({ definitionId: 'a', definition: graph('Look') });
    await library.save({ definitionId: 'a', definition: graph('Look', { description: 'second' }) });
    const { entries } = await library.list();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ id: 'Look', description: 'second' });
    expect((await library.get('Look')).definition.description).toBe('second');
  });

  it('keeps hostile names inside the library folder', async () => {
    const saved = await library.save({ definitionId: 'a', definition: graph('../x') });
    expect(saved.id).toBe('x');
    expect(await readdir(root)).toEqual(['library']);
    expect(await readdir(library.dir)).toEqual(['x.json']);
    await expect(library.get('../x')).rejects.toThrow(LibraryProblem);
    await expect(library.remove('../library/x')).rejects.toThrow('is not a library id');
    await expect(library.get('nothing')).rejects.toThrow(LibraryProblem);
  });

  it('skips broken, foreign and oversized files with a reason, and lists the rest', async () => {
    await library.save({ definitionId: 'a', definition: graph('Good') });
    await writeFile(path.join(library.dir, 'broken.json'), '{ not json');
    await writeFile(path.join(library.dir, 'wrong.json'), JSON.stringify({ format: 'reelgraph.graph', version: 1, id: 'wrong', definitionId: 'a', definition: { name: 'x' }, savedAt: 'now' }));
    const good = JSON.parse(await readFile(path.join(library.dir, 'Good.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(library.dir, 'renamed.json'), JSON.stringify(good));
    await writeFile(path.join(library.dir, 'proto.json'), `{"__proto__": {"polluted": true}, ${JSON.stringify(good).slice(1)}`);
    await writeFile(path.join(library.dir, 'big.json'), ' '.repeat(2 * 1024 * 1024 + 1));
    await writeFile(path.join(library.dir, 'bad name!.json'), JSON.stringify(good));
    await mkdir(path.join(library.dir, 'folder.json'));
    await writeFile(path.join(library.dir, 'notes.txt'), 'not an entry');
    const { entries, skipped } = await library.list();
    expect(entries.map((entry) => entry.id)).toEqual(['Good']);
    const reasons = Object.fromEntries(skipped.map(({ file, reason }) => [file, reason]));
    expect(Object.keys(reasons).sort()).toEqual(['bad name!.json', 'big.json', 'broken.json', 'folder.json', 'proto.json', 'renamed.json', 'wrong.json']);
    expect(reasons['broken.json']).toBe('It is not valid JSON.');
    expect(reasons['wrong.json']).toMatch(/^It is not a Reelgraph library graph: .*definition/);
    expect(reasons['renamed.json']).toBe('It names itself "Good", not "renamed" as its file does.');
    expect(reasons['proto.json']).toContain('__proto__');
    expect(reasons['big.json']).toMatch(/too large/);
    expect(reasons['folder.json']).toBe('It is not a file.');
    await expect(library.get('broken')).rejects.toThrow('The library graph "broken" cannot be used: It is not valid JSON.');
  });

  it('refuses an entry over the size limit and a full library, in words', async () => {
    const small = new GraphLibrary(path.join(root, 'small'), { fileBytes: 2000, files: 2, definitions: 64 });
    await expect(small.save({ definitionId: 'a', definition: graph('Huge', { description: 'x'.repeat(3000) }) })).rejects.toThrow(/too large for the library/);
    await small.save({ definitionId: 'a', definition: graph('One') });
    await small.save({ definitionId: 'a', definition: graph('Two') });
    await expect(small.save({ definitionId: 'a', definition: graph('Three') })).rejects.toThrow('The library is full (2 graphs); remove one first.');
    // Saving over an existing entry is not a new one.
    await small.save({ definitionId: 'a', definition: graph('Two', { description: 'again' }) });
  });

  it('removes an entry, and says so when there is none', async () => {
    await library.save({ definitionId: 'a', definition: graph('Gone') });
    await library.remove('Gone');
    expect((await library.list()).entries).toEqual([]);
    await expect(library.remove('Gone')).rejects.toThrow('No graph "Gone" is in the library.');
  });
});
