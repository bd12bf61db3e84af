/**
 * End-to-end tests: a real browser against the real engine serving the built
 * editor, on a scratch data dir. Debian's Chromium is used where it is
 * installed (offline machines, CI); elsewhere Playwright's own browser
 * (`npx playwright install chromium`).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((file) => existsSync(file));
const PORT = Number(process.env.REELGRAPH_E2E_PORT ?? 8797);
const dataDir = process.env.REELGRAPH_E2E_DATA ?? mkdtempSync(path.join(tmpdir(), 'reelgraph-e2e-'));
process.env.REELGRAPH_E2E_DATA = dataDir;

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test/.tmp/e2e-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1600, height: 1000 },
    trace: 'retain-on-failure',
    launchOptions: {
      ...(SYSTEM_CHROMIUM ? { executablePath: SYSTEM_CHROMIUM } : {}),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `node --import tsx engine/src/cli/main.ts serve --port ${PORT} --data-dir ${dataDir}`,
    url: `http://127.0.0.1:${PORT}/examples`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
