/**
 * Counts the messages every Worker in a page sends back (the editor's only
 * worker is ELK's), so a test or benchmark can wait for a layout's answer
 * instead of sleeping. `countWorkerReplies` runs in the page, before the
 * editor's code: pass it to `page.addInitScript`.
 */
import type { Page } from '@playwright/test';

interface WorkerGlobals {
  Worker: new (url: unknown, options?: unknown) => { addEventListener(type: string, listener: () => void): void };
  __workerReplies?: number;
}

interface FrameGlobals {
  requestAnimationFrame(callback: () => void): number;
}

export function countWorkerReplies(): void {
  const browser = globalThis as unknown as WorkerGlobals;
  const Native = browser.Worker;
  browser.__workerReplies = 0;
  browser.Worker = class extends Native {
    constructor(url: unknown, options?: unknown) {
      super(url, options);
      this.addEventListener('message', () => (browser.__workerReplies = (browser.__workerReplies ?? 0) + 1));
    }
  };
}

export function workerReplies(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as WorkerGlobals).__workerReplies ?? 0);
}

/** Resolves on the first frame after the page's workers have sent more than `count` messages: by then the editor has applied the answer. */
export async function waitForWorkerReply(page: Page, count: number): Promise<void> {
  await page.waitForFunction((seen) => ((globalThis as unknown as WorkerGlobals).__workerReplies ?? 0) > seen, count, { polling: 'raf', timeout: 120_000 });
  await page.evaluate(() => new Promise<void>((resolve) => (globalThis as unknown as FrameGlobals).requestAnimationFrame(() => resolve())));
}
