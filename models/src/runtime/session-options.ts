import type * as ort from 'onnxruntime-node';
import type { Device } from './device.ts';

/** Session options for a device; nodes a provider lacks kernels for run on the CPU provider, which is always there. */
export function sessionOptionsFor(device: Device): ort.InferenceSession.SessionOptions {
  return { executionProviders: [device], graphOptimizationLevel: 'all' };
}
