/**
 * The engine dies and comes back (a crash, a restart): the editor says it is
 * disconnected, keeps retrying, and reconnects by itself, ready to run.
 * This spec starts its own engine on its own port, so killing it leaves the
 * suite's engine alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { node, queueStatus, REPO_ROOT, screenshot, waitForCanvasToSettle } from './editor-page.ts';

const PORT = 8796;
const ORIGIN = `http://127.0.0.1:${PORT}`;

let dataDir = '';
const engines: ChildProcess[] = [];

test.beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'reelgraph-e2e-restart-'));
});

test.afterAll(async () => {
  for (const engine of engines) if (engine.exitCode === null && engine.signalCode === null) engine.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

/** `reelgraph serve` in a child process; resolves once it answers HTTP. */
async function startEngine(): Promise<ChildProcess> {
  const engine = spawn(process.execPath, ['--import', 'tsx', 'engine/src/cli/main.ts', 'serve', '--port', String(PORT), '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  engines.push(engine);
  let output = '';
  engine.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  engine.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await expect
    .poll(
      async () => {
        if (engine.exitCode !== null) throw new Error(`the engine exited with ${engine.exitCode}:\n${output}`);
        return fetch(`${ORIGIN}/examples`).then(
          (response) => response.status,
          () => 0,
        );
      },
      { timeout: 30_000, message: `the engine on port ${PORT} did not start` },
    )
    .toBe(200);
  return engine;
}

async function kill(engine: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => engine.once('exit', resolve));
  engine.kill('SIGKILL');
  await exited;
}

test('after the engine is killed and restarted, the editor reconnects and runs again', async ({ page }) => {
  const first = await startEngine();
  await page.goto(`${ORIGIN}/`);
  await expect(page.getByRole('status', { name: 'engine: connected', exact: true })).toBeVisible();
  await waitForCanvasToSettle(page, 4);
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await expect(run).toBeEnabled();

  await kill(first);
  await expect(page.getByRole('status', { name: /^engine: (disconnected, retrying in \d+s|reconnecting…)$/ })).toBeVisible();
  await expect(run).toBeDisabled();
  await screenshot(page, 'engine-restart-disconnected');

  await startEngine();
  // The editor backs off up to 8 s between attempts, plus the engine's start: allow for both.
  await expect(page.getByRole('status', { name: 'engine: connected', exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(run).toBeEnabled();

  // Ready to work: run the prompt alone over the new connection.
  const prompt = node(page, 'Prompt', 'prompt');
  await prompt.getByRole('banner').click({ position: { x: 12, y: 10 } });
  await page.getByRole('button', { name: 'Run to here', exact: true }).click();
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded in [\d.]+ s · 1 ran, 0 cached$/);
  await expect(prompt.getByLabel('status: done', { exact: true })).toBeVisible();
});
