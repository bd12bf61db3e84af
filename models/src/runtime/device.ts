/** The execution providers Reelgraph uses, in order of preference. */
export const DEVICES = ['cuda', 'webgpu', 'cpu'] as const;
export type Device = (typeof DEVICES)[number];

export function isDevice(value: string): value is Device {
  return (DEVICES as readonly string[]).includes(value);
}

/**
 * A device request as a person writes it (`REELGRAPH_DEVICE`, a CLI flag):
 * a device name, or 'auto'/empty for the best available one.
 */
export function parseDeviceRequest(value: string | undefined, source: string): Device | 'auto' {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'auto') return 'auto';
  if (isDevice(v)) return v;
  throw new RangeError(`${source} is '${value}', which is not a device: use one of ${DEVICES.join(', ')}, or auto.`);
}
