/**
 * The Models panel against the real engine: it lists the built-in models
 * with their licences, pulls a model from a real HTTP server, verifies it,
 * says when a file is damaged, and removes it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startModelServer, type ModelServer } from '../support/model-server.ts';
import { openEditor, screenshot } from './editor-page.ts';

let models: ModelServer;
test.beforeAll(async () => {
  models = await startModelServer();
});
test.afterAll(() => models.close());

test('the Models panel lists, pulls, verifies and removes models', async ({ page }) => {
  await openEditor(page);
  await page.getByRole('button', { name: 'Models', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Models' });
  const list = panel.getByRole('list', { name: 'models' });
  for (const id of ['reelgraph/procedural-field', 'upscalerjs/esrgan-slim', 'upscalerjs/psnr-small', 'hzwer/rife-4.6']) await expect(list.getByRole('listitem', { name: id })).toBeVisible();
  await expect(list.getByRole('listitem', { name: 'hzwer/rife-4.6' })).toContainText('Licence: MIT (code and weights)');
  await expect(list.getByRole('listitem', { name: 'hzwer/rife-4.6' })).toContainText('built in');

  // Other specs may have pulled models into the same data dir: count from here.
  const before = await list.getByRole('listitem').count();
  const id = `e2e/esrgan-x2-${Date.now().toString(36)}`;
  await panel.getByRole('textbox', { name: 'model to pull' }).fill(models.manifestUrl(id));
  await panel.getByRole('button', { name: 'Pull' }).click();
  await expect(panel.getByRole('list', { name: 'pulls' }).getByRole('status')).toHaveText(`Pulled ${id}.`);
  const row = list.getByRole('listitem', { name: id });
  await expect(row).toContainText(/esrgan · upscale · \d+(\.\d)? KiB/);
  await expect(row).toContainText('Licence: MIT');

  await row.getByRole('button', { name: `verify ${id}` }).click();
  await expect(row.getByRole('status')).toHaveText('Verified: every file matches its sha256.');
  const shard = path.join(process.env.REELGRAPH_E2E_DATA!, 'models', ...id.split('/'), 'group1-shard1of1.bin');
  const bytes = await readFile(shard);
  bytes[5000] = bytes[5000]! ^ 0xff;
  await writeFile(shard, bytes);
  await panel.getByRole('button', { name: 'Verify all' }).click();
  await expect(row.getByRole('status')).toHaveText('group1-shard1of1.bin does not match its sha256: it changed or is damaged.');
  await screenshot(page, 'models-panel');

  await row.getByRole('button', { name: `remove ${id}` }).click();
  await expect(row).toHaveCount(0);
  await expect(list.getByRole('listitem')).toHaveCount(before);
});
