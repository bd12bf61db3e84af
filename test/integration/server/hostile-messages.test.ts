/**
 * Pipelines that arrive over the socket are held to the limits of a pipeline
 * file: too deep, too large or carrying `__proto__`, each is refused with a
 * sentence, and the same socket goes on working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TestClient, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
let client: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  client = await TestClient.connect(server.wsUrl);
});
afterAll(async () => {
  client.socket.terminate();
  await server.dispose();
});

const envelope = (ui: string) =>
  `{"type":"run","runId":"hostile","pipeline":{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"p","type":"prompt","params":{"text":"dawn"},"ui":${ui}}]}}`;

describe('hostile pipelines over the socket', () => {
  it('refuses one nested 200,000 deep as a file would be refused', async () => {
    client.send(envelope(`{"x":0,"y":0,"deep":${'['.repeat(200_000)}${']'.repeat(200_000)}}`));
    const error = await client.next('error', (m) => m.message.includes('nests deeper'));
    expect(error).toMatchObject({ code: 'bad-message' });
    // A long path keeps its start and its end.
    expect(error.message).toMatch(/^The message nests deeper than 65 levels \(at "pipeline\.nodes\[0\]\.ui\.deep[[\]0]*…[[\]0]{15}"\); a pipeline is never that deep\.$/);
  });

  it('refuses "__proto__" instead of dropping it', async () => {
    client.send(envelope('{"x":0,"y":0,"__proto__":{"x":5}}'));
    const error = await client.next('error', (m) => m.message.includes('__proto__'));
    expect(error.message).toBe('The message uses the reserved key "__proto__" (at "pipeline.nodes[0].ui.__proto__"); remove it.');
  });

  it('refuses a message over the pipeline limit in words, and closes only on a frame past it', async () => {
    client.send(envelope(`{"x":0,"y":0,"pad":"${'a'.repeat(32 * 1024 * 1024 + 100 * 1024)}"}`));
    const error = await client.next('error', (m) => m.message.includes('larger than'));
    expect(error.message).toBe('The message is larger than 32 MiB; embed fewer assets or reference files beside it.');

    // Still the same socket: a valid run goes through.
    client.send({ type: 'validate', requestId: 'after', pipeline: JSON.parse(envelope('{"x":0,"y":0}')).pipeline });
    expect((await client.next('validation', (m) => m.requestId === 'after')).errors).toEqual([]);

    const other = await TestClient.connect(server.wsUrl);
    const closed = new Promise<number>((resolve) => other.socket.on('close', (code) => resolve(code)));
    other.socket.on('error', () => undefined);
    other.send(`"${'b'.repeat(50 * 1024 * 1024)}"`);
    expect(await closed).toBe(1009);
    client.send({ type: 'hello', protocolVersion: 1 });
    await client.next('welcome');
  });
});
