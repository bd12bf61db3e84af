/**
 * The examples that run trained networks, in the browser: open each from the
 * Examples menu, run it, and its model node reports done with a preview; the
 * model picker offers the built-in model with its licence; a saved file
 * records the weights of every model it uses.
 */
import { findModel, modelDigest } from '@reelgraph/models';
import { expect, test } from '@playwright/test';
import { node, nodeStatus, openEditor, openExample, pixelSpread, queueStatus, run, savedDocument, screenshot } from './editor-page.ts';

const digestOf = (id: string) => modelDigest(findModel(id)!);

test('the Upscale example runs and shows the enlarged shot', async ({ page }) => {
  await openEditor(page);
  await openExample(page, 'Upscale');

  const upscale = node(page, 'Upscale', 'enlarge');
  const picker = upscale.getByRole('combobox', { name: 'Upscale: model', exact: true });
  await expect(picker).toHaveValue('upscalerjs/esrgan-slim');
  await expect(picker.getByRole('option', { name: 'ESRGAN slim (built in)' })).toHaveAttribute('title', /Size: built in\nLicence: MIT \(code and weights\)/);

  // The saved file says what it needs: each model it uses, with the digest of its weights.
  expect((await savedDocument(page)).models).toEqual({
    'reelgraph/procedural-field': { sha256: digestOf('reelgraph/procedural-field') },
    'upscalerjs/esrgan-slim': { sha256: digestOf('upscalerjs/esrgan-slim') },
  });
  await expect(page.getByRole('log', { name: 'notices' })).toContainText('Saved as upscale.reel.json (in your downloads).');

  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded/, { timeout: 80_000 });
  await expect(nodeStatus(upscale, 'done').or(nodeStatus(upscale, 'cached'))).toBeVisible();
  const preview = upscale.getByLabel('Upscale preview', { exact: true });
  await expect(preview).toBeVisible();
  // A video shows its first frame once decoded, which software rendering on a busy machine may take a while to do.
  await expect.poll(() => pixelSpread(preview, 'upscale-preview'), { timeout: 20_000 }).toBeGreaterThan(10);
  await screenshot(page, 'upscale-example');
});

test('the Smooth motion example runs RIFE and shows the new frames', async ({ page }) => {
  await openEditor(page);
  await openExample(page, 'Smooth motion');

  const interpolate = node(page, 'Interpolate', 'smooth');
  const picker = interpolate.getByRole('combobox', { name: 'Interpolate: model', exact: true });
  await expect(picker).toHaveValue('hzwer/rife-4.6');
  await expect(picker.getByRole('option', { name: 'RIFE 4.6 (built in)' })).toHaveAttribute('title', /Size: built in\nLicence: MIT \(code and weights\)/);

  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded/, { timeout: 80_000 });
  await expect(nodeStatus(interpolate, 'done').or(nodeStatus(interpolate, 'cached'))).toBeVisible();
  const preview = interpolate.getByLabel('Interpolate preview', { exact: true });
  await expect(preview).toBeVisible();
  // A video shows its first frame once decoded, which software rendering on a busy machine may take a while to do.
  await expect.poll(() => pixelSpread(preview, 'interpolate-preview'), { timeout: 20_000 }).toBeGreaterThan(10);
  await screenshot(page, 'smooth-motion-example');
});
