/**
 * Params a wire makes unused, in the Inpaint example: inpaint's own shape and
 * region beside its wired mask, and the mask's size and timing beside its
 * wired video, show read-only with a note instead of inviting edits that
 * change nothing.
 */
import { expect, test } from '@playwright/test';
import { node, openEditor, openExample, screenshot } from './editor-page.ts';

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
  await screenshot(page, 'unused-params');
});
