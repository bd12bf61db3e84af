/**
 * Managing models over the engine's socket, as the editor's Models panel
 * does: a pull from a real HTTP server reports progress and tells every
 * client the new list; verify names a damaged file; remove takes the model
 * out of every client's list; a built-in model cannot be removed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer } from '../../support/model-server.ts';
import { startTestServer, TestClient, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
let models: ModelServer;
beforeAll(async () => {
  [server, models] = await Promise.all([startTestServer(), startModelServer()]);
});
afterAll(async () => {
  await Promise.all([server.dispose(), models.close()]);
});

async function client(): Promise<TestClient> {
  const c = await TestClient.connect(server.wsUrl);
  c.send({ type: 'hello', protocolVersion: 1 });
  await c.next('welcome');
  return c;
}

describe('models over the socket', () => {
  it('pulls, verifies, reports damage and removes, telling every client', async () => {
    const [editor, other] = await Promise.all([client(), client()]);
    editor.send({ type: 'models.pull', pullId: 'p1', source: models.manifestUrl('socket/esrgan-x2') });
    const finished = await editor.next('models.pull.finished', (m) => m.pullId === 'p1');
    expect(finished).toEqual({ type: 'models.pull.finished', pullId: 'p1', ok: true, id: 'socket/esrgan-x2' });
    const progress = editor.of('models.pull.progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ pullId: 'p1', id: 'socket/esrgan-x2', done: progress.at(-1)!.total });
    // Both clients hear of the new model, with what the panel shows.
    for (const c of [editor, other]) {
      const list = await c.next('models', (m) => m.models.some((model) => model.id === 'socket/esrgan-x2'));
      expect(list.models.find((model) => model.id === 'socket/esrgan-x2')).toMatchObject({ family: 'esrgan', builtIn: false, licence: 'MIT', tasks: ['upscale'] });
      expect(list.models.find((model) => model.id === 'socket/esrgan-x2')!.bytes).toBeGreaterThan(100_000);
    }

    editor.send({ type: 'models.verify', id: 'socket/esrgan-x2' });
    expect(await editor.next('models.verified')).toEqual({ type: 'models.verified', results: [{ id: 'socket/esrgan-x2', problems: [] }] });
    const shard = path.join(server.dataDir, 'models', 'socket', 'esrgan-x2', 'group1-shard1of1.bin');
    const bytes = await readFile(shard);
    bytes[1000] = bytes[1000]! ^ 0xff;
    await writeFile(shard, bytes);
    editor.messages.length = 0;
    editor.send({ type: 'models.verify' });
    const damaged = await editor.next('models.verified');
    expect(damaged.results).toEqual([{ id: 'socket/esrgan-x2', problems: ['group1-shard1of1.bin does not match its sha256: it changed or is damaged.'] }]);

    other.messages.length = 0;
    editor.send({ type: 'models.remove', id: 'socket/esrgan-x2' });
    const after = await other.next('models');
    expect(after.models.map((model) => model.id)).toEqual(['reelgraph/procedural-field', 'upscalerjs/esrgan-slim', 'upscalerjs/psnr-small', 'hzwer/rife-4.6']);
    await Promise.all([editor.close(), other.close()]);
  });

  it('answers what cannot be done in words, and keeps the socket', async () => {
    const c = await client();
    c.send({ type: 'models.remove', id: 'upscalerjs/esrgan-slim' });
    expect(await c.next('error')).toMatchObject({ code: 'model', message: 'No model "upscalerjs/esrgan-slim" is installed. It is built in, and cannot be removed.' });
    c.send({ type: 'models.pull', pullId: 'p2', source: `${models.base}/nothing/reelgraph-model.json` });
    expect(await c.next('models.pull.finished', (m) => m.pullId === 'p2')).toMatchObject({ ok: false, error: expect.stringContaining('answered 404') });
    c.send({ type: 'models.pull', pullId: 'p3', source: 'someone/model' });
    expect(await c.next('models.pull.finished', (m) => m.pullId === 'p3')).toMatchObject({ ok: false, error: expect.stringContaining('no model registry is set') });
    c.send({ type: 'list-runs' });
    await c.next('runs');
    await c.close();
  });
});
