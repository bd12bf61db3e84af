/**
 * Params a wire makes unused, in the Inpaint example: inpaint's own shape and
 * region beside its wired mask, and the mask's size and timing beside its
 * wired video, show read-only with a note instead of inviting edits that
 * change nothing; once the video exists, the mask shows what it takes from it.
 */
import { expect, test } from '@playwright/test';
import { node, openEditor, openExample, queueStatus, screenshot } from './editor-page.ts';

test('a wired mask leaves inpaint’s own region unused, and a wired video the mask’s size', async ({ page }) => {
  await openEditor(page);
  await openExample(page, 'Inpaint a region');
  const inpaint = node(page, 'Inpaint', 'fill');
  for (const param of ['shape', 'region']) await expect(inpaint.getByRole('group', { name: `Inpaint: ${param}, unused while mask is wired`, exact: true })).toBeVisible();
  await expect(inpaint.getByText('region: unused while mask is wired')).toBeVisible();
  await expect(inpaint.getByRole('combobox', { name: 'Inpaint: shape', exact: true })).toBeDisabled();
  // Feather applies to a wired mask too: it stays editable.
  await expect(inpaint.getByRole('spinbutton', { name: 'Inpaint: feather', exact: true })).toBeEnabled();

  const mask = node(page, 'Mask', 'region');
  for (const param of ['width', 'height', 'fps', 'duration']) {
    await expect(mask.getByRole('spinbutton', { name: `Mask: ${param}`, exact: true })).toBeDisabled();
  }
  await expect(mask.getByRole('combobox', { name: 'Mask: shape', exact: true })).toBeEnabled();
  await expect(mask.getByText('width: unused while video is wired')).toBeVisible();

  // Once the video exists, the mask says what it takes from it.
  await node(page, 'Generate', 'shot').locator('.rg-node-title').click();
  await page.getByRole('button', { name: 'Run to here', exact: true }).click();
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded/, { timeout: 60_000 });
  for (const note of ['width: 512 from the wired video', 'height: 288 from the wired video', 'fps: 24 from the wired video', 'duration: 2.5 from the wired video']) {
    await expect(mask.getByText(note, { exact: true })).toBeVisible();
  }
  await screenshot(page, 'unused-params');
});
