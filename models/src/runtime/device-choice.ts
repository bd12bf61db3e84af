/**
 * Which execution provider Reelgraph runs on: CUDA when its provider library
 * is installed and opens a session, else WebGPU when it opens one, else CPU.
 * A request for a specific device (argument or REELGRAPH_DEVICE) is honoured
 * or fails with the reason; it never silently becomes another device.
 */
import * as ort from 'onnxruntime-node';
import { DEVICES, parseDeviceRequest, type Device } from './device.ts';
import { buildProbeModel, type ProbeModel } from './probe-model.ts';
import { probeProvider, summariseOrtError, type ProbeResult } from './probe-provider.ts';
import { findCudaProviderLibrary } from './provider-library.ts';

export interface SkippedDevice {
  device: Device;
  reason: string;
}

export interface DeviceChoice {
  device: Device;
  /** Better devices that were tried (or not installed), each with why it is not used. */
  skipped: SkippedDevice[];
  /** Where the decision came from. */
  requestedBy: 'auto' | 'argument' | 'REELGRAPH_DEVICE';
}

export type DeviceProbe = (device: Device) => Promise<ProbeResult>;

/**
 * Tries `candidates` in order and takes the first that works. A request for
 * one device tries only that one and throws if it does not work.
 */
export async function decideDevice(
  request: Device | 'auto',
  requestedBy: DeviceChoice['requestedBy'],
  probe: DeviceProbe,
  log: (message: string) => void,
): Promise<DeviceChoice> {
  if (request !== 'auto') {
    const result = await probe(request);
    if (result.ok) return { device: request, skipped: [], requestedBy };
    const where = requestedBy === 'REELGRAPH_DEVICE' ? 'REELGRAPH_DEVICE' : 'the requested device';
    throw new Error(
      `${where} is ${request}, but onnxruntime cannot run on it: ${result.reason}. ` +
        `Choose another device (${DEVICES.filter((d) => d !== request).join(', ')}) or auto.`,
    );
  }
  const skipped: SkippedDevice[] = [];
  for (const device of DEVICES) {
    const result = await probe(device);
    if (result.ok) return { device, skipped, requestedBy };
    skipped.push({ device, reason: result.reason });
    log(`${device} is not used: ${result.reason}`);
  }
  throw new Error(`onnxruntime cannot open a session on any device: ${skipped.map((s) => `${s.device}: ${s.reason}`).join('; ')}`);
}

/** "cpu (cuda skipped: …; webgpu skipped: …)" for a status line. */
export function describeDeviceChoice(choice: DeviceChoice): string {
  if (choice.skipped.length === 0) return choice.device;
  return `${choice.device} (${choice.skipped.map((s) => `${s.device} skipped: ${s.reason}`).join('; ')})`;
}

/** The real probes: library presence for CUDA, a child-process session for accelerators, an in-process one for CPU. */
export function systemProbe(model: ProbeModel = buildProbeModel(), timeoutMs?: number): DeviceProbe {
  return async (device) => {
    if (device === 'cuda') {
      const library = findCudaProviderLibrary();
      if ('missing' in library) return { ok: false, reason: library.missing };
    }
    if (device === 'webgpu' && !ort.listSupportedBackends().some((b) => b.name === 'webgpu')) {
      return { ok: false, reason: 'this build of onnxruntime-node has no WebGPU provider' };
    }
    if (device !== 'cpu') return probeProvider(device, model, timeoutMs);
    try {
      const session = await ort.InferenceSession.create(model.bytes, { executionProviders: ['cpu'] });
      await session.release();
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: summariseOrtError((error as Error).message) };
    }
  };
}

export interface ChooseDeviceOptions {
  /** Takes precedence over REELGRAPH_DEVICE; 'auto' ignores it. */
  device?: Device | 'auto';
  env?: Readonly<Record<string, string | undefined>>;
  /** Where fallback reasons are reported as they happen; stderr by default. */
  log?: (message: string) => void;
}

const choices = new Map<string, Promise<DeviceChoice>>();

function logToStderr(message: string): void {
  process.stderr.write(`reelgraph: ${message}\n`);
}

/**
 * The device to run on, decided once per process and request: later calls
 * (concurrent ones included) share the first decision, failure included.
 */
export async function chooseDevice(options: ChooseDeviceOptions = {}): Promise<DeviceChoice> {
  const fromEnv = parseDeviceRequest((options.env ?? process.env).REELGRAPH_DEVICE, 'REELGRAPH_DEVICE');
  const [request, requestedBy]: [Device | 'auto', DeviceChoice['requestedBy']] =
    options.device !== undefined ? [options.device, options.device === 'auto' ? 'auto' : 'argument'] : [fromEnv, fromEnv === 'auto' ? 'auto' : 'REELGRAPH_DEVICE'];
  const key = `${request}:${requestedBy}`;
  let choice = choices.get(key);
  if (choice === undefined) {
    choice = decideDevice(request, requestedBy, systemProbe(), options.log ?? logToStderr);
    choices.set(key, choice);
  }
  return choice;
}
