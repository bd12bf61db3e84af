/**
 * The library of reusable graphs over the engine's socket, as the editor
 * uses it: a save tells every client the new list and lands in
 * `<data dir>/library/`; an entry comes back whole with the definitions it
 * uses; a removal and a broken file are handled in words, never by closing
 * the socket.
 */
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TestClient, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

async function client(): Promise<TestClient> {
  const c = await TestClient.connect(server.wsUrl);
  c.send({ type: 'hello', protocolVersion: 1 });
  await c.next('welcome');
  return c;
}

const inner = {
  name: 'Fox clip',
  nodes: [{ id: 'gen', type: 'generate-clip', params: { prompt: 'a fox' } }],
  edges: [],
  inputs: {},
  outputs: { video: { node: 'gen', port: 'video' } },
  params: {},
};
const outer = {
  name: '../Opening shot',
  description: 'The fox, twice.',
  nodes: [{ id: 'fox', type: 'graph:fox', params: {} }],
  edges: [],
  inputs: {},
  outputs: { video: { node: 'fox', port: 'video' } },
  params: {},
};

describe('the graph library over the socket', () => {
  it('saves, lists to every client, gives an entry back whole and removes it', async () => {
    const [editor, other] = await Promise.all([client(), client()]);
    editor.send({ type: 'library.list' });
    expect(await editor.next('library')).toEqual({ type: 'library', entries: [] });
    editor.messages.length = 0;

    editor.send({ type: 'library.save', definitionId: 'opening', definition: outer, definitions: { fox: inner } });
    expect(await editor.next('library.saved')).toEqual({ type: 'library.saved', id: 'Opening-shot', name: '../Opening shot' });
    for (const c of [editor, other]) {
      const list = await c.next('library', (m) => m.entries.length > 0);
      expect(list.entries).toEqual([{ id: 'Opening-shot', name: '../Opening shot', description: 'The fox, twice.', savedAt: expect.any(String) }]);
    }
    expect(await readdir(path.join(server.dataDir, 'library'))).toEqual(['Opening-shot.json']);

    editor.send({ type: 'library.get', id: 'Opening-shot' });
    const { entry } = await editor.next('library.entry');
    expect(entry).toMatchObject({ id: 'Opening-shot', definitionId: 'opening', definition: { name: '../Opening shot' }, definitions: { fox: { name: 'Fox clip' } } });

    other.messages.length = 0;
    editor.send({ type: 'library.remove', id: 'Opening-shot' });
    expect(await other.next('library')).toEqual({ type: 'library', entries: [] });
    await Promise.all([editor.close(), other.close()]);
  });

  it('answers what cannot be done in words, skips a broken file, and keeps the socket', async () => {
    const c = await client();
    await writeFile(path.join(server.dataDir, 'library', 'broken.json'), '{ nope');
    c.send({ type: 'library.list' });
    expect(await c.next('library')).toEqual({ type: 'library', entries: [] });
    c.send({ type: 'library.get', id: 'broken' });
    expect(await c.next('error')).toMatchObject({ code: 'library', message: 'The library graph "broken" cannot be used: It is not valid JSON.' });
    c.messages.length = 0;
    c.send({ type: 'library.remove', id: 'missing' });
    expect(await c.next('error')).toMatchObject({ code: 'library', message: 'No graph "missing" is in the library.' });
    c.messages.length = 0;
    // A path as an id, and a definition of the wrong shape, are malformed messages.
    c.send({ type: 'library.get', id: '../runs/engine' });
    expect(await c.next('error')).toMatchObject({ code: 'bad-message', message: expect.stringContaining('at "id"') });
    c.messages.length = 0;
    c.send({ type: 'library.save', definitionId: 'x', definition: { name: 'No nodes' } });
    expect(await c.next('error')).toMatchObject({ code: 'bad-message', message: expect.stringContaining('definition.nodes') });
    c.messages.length = 0;
    c.send({ type: 'list-runs' });
    await c.next('runs');
    await c.close();
  });
});
