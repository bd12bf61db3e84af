import { chooseDevice, describeDeviceChoice, parseDeviceRequest } from '@reelgraph/models';
import { UsageError } from './usage-error.ts';

/**
 * Applies `--device` for this process: every model and pixel operation asks
 * `chooseDevice()`, which reads REELGRAPH_DEVICE, so the flag lands there.
 */
export function applyDeviceOption(flag: string | undefined): void {
  if (flag === undefined) return;
  try {
    parseDeviceRequest(flag, '--device');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  process.env.REELGRAPH_DEVICE = flag;
}

/** The device in use and why better ones were skipped, e.g. "cpu (webgpu skipped: no adapter)". */
export async function deviceReport(): Promise<{ name: string; reasons: string[]; line: string }> {
  const choice = await chooseDevice({ log: () => undefined });
  return {
    name: choice.device,
    reasons: choice.skipped.map((s) => `${s.device} skipped: ${s.reason}`),
    line: describeDeviceChoice(choice),
  };
}
