/**
 * Proves that an accelerator provider works by opening and running a tiny
 * session on it in a child process.
 *
 * Why a child process: onnxruntime's WebGPU provider initialises Dawn, which
 * loads the system's Vulkan (or D3D12/Metal) driver inside the calling
 * process. On this project's GPU-less Linux machine that fails cleanly (no
 * libvulkan → "No supported adapters"), but WebGPU context setup has been
 * reported to crash with an access violation (onnxruntime issue #26010), and
 * a wedged driver can hang; either would take the engine down with it. The child also keeps Dawn's
 * stderr chatter out of the engine's output. The cost is one short-lived
 * Node process per provider per engine start (the choice is memoised).
 */
import { fileURLToPath } from 'node:url';
import type { Device } from './device.ts';
import type { ProbeModel } from './probe-model.ts';
import { runProcess, type ProcessOutcome } from './run-process.ts';

export type ProbeResult = { ok: true } | { ok: false; reason: string };

export const PROBE_TIMEOUT_MS = 30_000;
const CHILD_SCRIPT = fileURLToPath(new URL('./probe-provider-child.mjs', import.meta.url));
const MAX_REASON = 300;

/** onnxruntime prefixes errors with its source location and the failed check; keep the sentence after them. */
export function summariseOrtError(message: string): string {
  const afterCheck = /\bwas false\.\s*([\s\S]+)$/.exec(message);
  const text = afterCheck ? afterCheck[1]! : message.replace(/^\S*onnxruntime_src\S*:\d+\s+/, '');
  return text.replace(/\s+/g, ' ').trim();
}

/** Dawn reports why it found no adapter as "Warning: …" lines on stderr. */
function driverHint(stderr: string): string | undefined {
  return /^Warning: (.+)$/m.exec(stderr)?.[1]?.trim();
}

function clip(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}

export function interpretProbe(outcome: ProcessOutcome, timeoutMs: number): ProbeResult {
  if (outcome.spawnError !== undefined) return { ok: false, reason: `could not start the probe process: ${outcome.spawnError}` };
  if (outcome.timedOut) return { ok: false, reason: `opening a session did not finish within ${timeoutMs / 1000} s (the driver may be hung)` };
  if (outcome.signal !== null) return { ok: false, reason: `the probe process crashed (${outcome.signal}) while opening a session` };
  const line = outcome.stdout.trim().split('\n').at(-1) ?? '';
  let answer: { ok?: unknown; error?: unknown };
  try {
    answer = JSON.parse(line) as typeof answer;
  } catch {
    const lastError = outcome.stderr.trim().split('\n').at(-1) ?? '';
    return { ok: false, reason: clip(`the probe process exited with code ${outcome.code} without an answer${lastError ? `: ${lastError}` : ''}`) };
  }
  if (answer.ok === true) return { ok: true };
  const hint = driverHint(outcome.stderr);
  const reason = summariseOrtError(String(answer.error ?? 'unknown error'));
  return { ok: false, reason: clip(hint ? `${reason} (${hint})` : reason) };
}

export async function probeProvider(device: Device, model: ProbeModel, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const input = JSON.stringify({ device, model: Buffer.from(model.bytes).toString('base64'), input: model.input, expected: model.expected });
  const outcome = await runProcess(process.execPath, [CHILD_SCRIPT], input, timeoutMs);
  return interpretProbe(outcome, timeoutMs);
}
