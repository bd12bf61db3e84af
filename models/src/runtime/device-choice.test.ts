import { describe, expect, it } from 'vitest';
import type { Device } from './device.ts';
import { chooseDevice, decideDevice, describeDeviceChoice, type DeviceProbe } from './device-choice.ts';
import type { ProbeResult } from './probe-provider.ts';

function fakeProbe(results: Partial<Record<Device, ProbeResult>>): DeviceProbe & { tried: Device[] } {
  const tried: Device[] = [];
  return Object.assign(
    async (device: Device) => {
      tried.push(device);
      return results[device] ?? { ok: true };
    },
    { tried },
  );
}

describe('decideDevice', () => {
  it('prefers cuda, then webgpu, then cpu, logging each fallback', async () => {
    const logs: string[] = [];
    const probe = fakeProbe({ cuda: { ok: false, reason: 'not installed' } });
    const choice = await decideDevice('auto', 'auto', probe, (m) => logs.push(m));
    expect(choice).toEqual({ device: 'webgpu', skipped: [{ device: 'cuda', reason: 'not installed' }], requestedBy: 'auto' });
    expect(probe.tried).toEqual(['cuda', 'webgpu']);
    expect(logs).toEqual(['cuda is not used: not installed']);
  });

  it('falls back to cpu and says why', async () => {
    const probe = fakeProbe({ cuda: { ok: false, reason: 'not installed' }, webgpu: { ok: false, reason: 'No supported adapters' } });
    const choice = await decideDevice('auto', 'auto', probe, () => {});
    expect(describeDeviceChoice(choice)).toBe('cpu (cuda skipped: not installed; webgpu skipped: No supported adapters)');
  });

  it('honours a requested device without trying the others', async () => {
    const probe = fakeProbe({});
    expect(await decideDevice('cpu', 'argument', probe, () => {})).toEqual({ device: 'cpu', skipped: [], requestedBy: 'argument' });
    expect(probe.tried).toEqual(['cpu']);
  });

  it('fails a requested device that does not work instead of falling back', async () => {
    const probe = fakeProbe({ webgpu: { ok: false, reason: 'No supported adapters' } });
    await expect(decideDevice('webgpu', 'REELGRAPH_DEVICE', probe, () => {})).rejects.toThrow(
      'REELGRAPH_DEVICE is webgpu, but onnxruntime cannot run on it: No supported adapters. Choose another device (cuda, cpu) or auto.',
    );
    expect(probe.tried).toEqual(['webgpu']);
  });
});

describe('chooseDevice on this machine', () => {
  it('picks a device that works and explains every better one it skipped', async () => {
    const choice = await chooseDevice({ device: 'auto', log: () => {} });
    const order = ['cuda', 'webgpu', 'cpu'];
    expect(choice.skipped.map((s) => s.device)).toEqual(order.slice(0, order.indexOf(choice.device)));
    for (const s of choice.skipped) expect(s.reason.length).toBeGreaterThan(0);
  });

  it('decides once: concurrent and later calls share the decision', async () => {
    const [first, second] = await Promise.all([chooseDevice({ device: 'auto' }), chooseDevice({ device: 'auto' })]);
    expect(second).toBe(first);
    expect(await chooseDevice({ device: 'auto' })).toBe(first);
  });

  it('takes REELGRAPH_DEVICE, and an argument over it', async () => {
    expect(await chooseDevice({ env: { REELGRAPH_DEVICE: 'cpu' } })).toMatchObject({ device: 'cpu', skipped: [], requestedBy: 'REELGRAPH_DEVICE' });
    expect(await chooseDevice({ device: 'cpu', env: { REELGRAPH_DEVICE: 'webgpu' } })).toMatchObject({ device: 'cpu', requestedBy: 'argument' });
    await expect(chooseDevice({ env: { REELGRAPH_DEVICE: 'tpu' } })).rejects.toThrow(/REELGRAPH_DEVICE is 'tpu'/);
  });

  it('fails a requested accelerator this machine lacks, saying why', async () => {
    const auto = await chooseDevice({ device: 'auto' });
    const missing = auto.skipped.find((s) => s.device === 'webgpu');
    if (missing === undefined) return; // this machine runs WebGPU (or CUDA won before it was tried)
    await expect(chooseDevice({ env: { REELGRAPH_DEVICE: 'webgpu' } })).rejects.toThrow(/REELGRAPH_DEVICE is webgpu, but onnxruntime cannot run on it/);
  });
});
