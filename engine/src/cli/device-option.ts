import { parseDeviceRequest } from '@reelgraph/models';
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
