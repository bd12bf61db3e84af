import { describe, expect, it } from 'vitest';
import { parseDeviceRequest } from './device.ts';

describe('parseDeviceRequest', () => {
  it('reads device names and auto, ignoring case and spaces', () => {
    expect(parseDeviceRequest('CPU', 'x')).toBe('cpu');
    expect(parseDeviceRequest(' webgpu ', 'x')).toBe('webgpu');
    expect(parseDeviceRequest('cuda', 'x')).toBe('cuda');
    expect(parseDeviceRequest('auto', 'x')).toBe('auto');
    expect(parseDeviceRequest('', 'x')).toBe('auto');
    expect(parseDeviceRequest(undefined, 'x')).toBe('auto');
  });

  it('names the source and the valid values when it cannot', () => {
    expect(() => parseDeviceRequest('gpu', 'REELGRAPH_DEVICE')).toThrow("REELGRAPH_DEVICE is 'gpu', which is not a device: use one of cuda, webgpu, cpu, or auto.");
  });
});
