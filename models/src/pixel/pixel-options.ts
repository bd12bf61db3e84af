import type { Device } from '../runtime/device.ts';
import type { SessionPool } from '../runtime/session-pool.ts';

/** What every pixel operation takes besides its frames. */
export interface PixelOptions {
  /** Default: the device chooseDevice() picks. */
  device?: Device;
  /** Default: the process-wide pool. */
  pool?: SessionPool;
  /** Checked between chunks of frames; an aborted run rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Upper bound on the float tensors one chunk of frames may hold (default 256 MiB); at least one frame runs. */
  chunkBytes?: number;
}
