// Opens the probe model on one execution provider and prints one JSON line:
// {"ok":true} or {"ok":false,"error":"…"}. It runs in a child process because
// a GPU driver can crash or hang the process that initialises it (see
// probe-provider.ts); plain JavaScript, so it needs no TypeScript loader.
import ort from 'onnxruntime-node';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { device, model, input, expected } = JSON.parse(Buffer.concat(chunks).toString('utf8'));

try {
  const session = await ort.InferenceSession.create(Buffer.from(model, 'base64'), { executionProviders: [device] });
  const result = await session.run({ x: new ort.Tensor('float32', Float32Array.from(input), [input.length]) });
  const actual = Array.from(result.y.data);
  const ok = actual.length === expected.length && actual.every((v, i) => Math.abs(v - expected[i]) < 1e-4);
  process.stdout.write(JSON.stringify(ok ? { ok } : { ok, error: `computed [${actual}] instead of [${expected}]` }) + '\n');
  await session.release();
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(error?.message ?? error) }) + '\n');
}
