/**
 * The Upscale example in the browser: open it from the Examples menu, run it,
 * and the Upscale node reports done with a preview of its enlarged frames;
 * the model picker offers the built-in ESRGAN slim with its licence.
 */
import { expect, test } from '@playwright/test';
import { allNodes, node, nodeStatus, openEditor, pixelSpread, queueStatus, run, screenshot, waitForCanvasToSettle } from './editor-page.ts';

test('the Upscale example runs and shows the enlarged shot', async ({ page }) => {
  await openEditor(page);
  await page.getByRole('button', { name: 'Examples', exact: true }).click();
  await page.getByRole('menu', { name: 'examples' }).getByRole('menuitem', { name: /^Upscale/ }).click();
  await expect(page.getByRole('textbox', { name: 'pipeline name', exact: true })).toHaveValue('Upscale');
  await waitForCanvasToSettle(page, await allNodes(page).count());

  const upscale = node(page, 'Upscale', 'enlarge');
  const picker = upscale.getByRole('combobox', { name: 'Upscale: model', exact: true });
  await expect(picker).toHaveValue('upscalerjs/esrgan-slim');
  await expect(picker.getByRole('option', { name: 'ESRGAN slim (built in)' })).toHaveAttribute('title', /Licence: MIT \(code and weights\)/);

  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded/, { timeout: 80_000 });
  await expect(nodeStatus(upscale, 'done').or(nodeStatus(upscale, 'cached'))).toBeVisible();
  const preview = upscale.getByLabel('Upscale preview', { exact: true });
  await expect(preview).toBeVisible();
  expect(await pixelSpread(preview, 'upscale-preview')).toBeGreaterThan(10);
  await screenshot(page, 'upscale-example');
});
