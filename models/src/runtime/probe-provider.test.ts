import { describe, expect, it } from 'vitest';
import { buildProbeModel } from './probe-model.ts';
import { interpretProbe, probeProvider, summariseOrtError } from './probe-provider.ts';
import { runProcess, type ProcessOutcome } from './run-process.ts';

const outcome = (over: Partial<ProcessOutcome>): ProcessOutcome => ({ stdout: '', stderr: '', code: 0, signal: null, timedOut: false, ...over });

describe('summariseOrtError', () => {
  it("keeps the sentence after onnxruntime's source location and failed check", () => {
    const message =
      '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(...)::<lambda()> ' +
      'adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\n';
    expect(summariseOrtError(message)).toBe('Failed to get a WebGPU adapter: No supported adapters');
    expect(summariseOrtError('Load model failed')).toBe('Load model failed');
  });
});

describe('interpretProbe', () => {
  it('accepts a working provider', () => {
    expect(interpretProbe(outcome({ stdout: '{"ok":true}\n' }), 1000)).toEqual({ ok: true });
  });

  it("reports the provider's error with the driver's hint", () => {
    const result = interpretProbe(
      outcome({ stdout: '{"ok":false,"error":"x was false. No supported adapters"}\n', stderr: "Warning: Couldn't load Vulkan: libvulkan.so.1\n    at operator()" }),
      1000,
    );
    expect(result).toEqual({ ok: false, reason: "No supported adapters (Couldn't load Vulkan: libvulkan.so.1)" });
  });

  it('reports a crash, a hang, and a silent exit', () => {
    expect(interpretProbe(outcome({ code: null, signal: 'SIGSEGV' }), 1000)).toEqual({
      ok: false,
      reason: 'the probe process crashed (SIGSEGV) while opening a session',
    });
    expect(interpretProbe(outcome({ code: null, signal: 'SIGKILL', timedOut: true }), 20_000)).toMatchObject({ reason: expect.stringMatching(/within 20 s/) });
    expect(interpretProbe(outcome({ code: 1, stderr: 'boom\nError: no memory' }), 1000)).toEqual({
      ok: false,
      reason: 'the probe process exited with code 1 without an answer: Error: no memory',
    });
  });
});

describe('runProcess', () => {
  it('survives a child that crashes', async () => {
    const result = await runProcess(process.execPath, ['-e', 'process.kill(process.pid, "SIGSEGV")'], '', 10_000);
    expect(result.signal).toBe('SIGSEGV');
    expect(interpretProbe(result, 10_000)).toMatchObject({ ok: false, reason: expect.stringMatching(/crashed \(SIGSEGV\)/) });
  });

  it('kills a child that hangs', async () => {
    const result = await runProcess(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], '', 300);
    expect(result.timedOut).toBe(true);
  });
});

describe('probeProvider', () => {
  it('opens and runs the probe model in a child process', async () => {
    expect(await probeProvider('cpu', buildProbeModel())).toEqual({ ok: true });
  });

  it('gives up on a probe that outlives its timeout', async () => {
    expect(await probeProvider('cpu', buildProbeModel(), 1)).toMatchObject({ ok: false, reason: expect.stringMatching(/did not finish/) });
  });
});
