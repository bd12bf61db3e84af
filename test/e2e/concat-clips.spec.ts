/**
 * A film of any number of shots: concat shows its clip inputs as wires
 * arrive (every wired one and one free one), up to 32.
 */
import { expect, test } from '@playwright/test';
import { drawWire, node, openEditor, openExample, wire } from './editor-page.ts';

test('concat grows a clip input as each one is wired', async ({ page }) => {
  await openEditor(page);
  await openExample(page, 'Storyboard');
  const join = node(page, 'Concat', 'join');
  const inputs = join.locator('[aria-label^="input clip"]');
  // Three shots wired: clip 1 to 3, and clip 4 free to take a fourth.
  await expect(inputs).toHaveCount(4);
  await expect(join.getByLabel('input clip5', { exact: true })).toHaveCount(0);

  await drawWire(page, node(page, 'Generate', 'shot-1').getByLabel('output video', { exact: true }), join.getByLabel('input clip4', { exact: true }));
  await expect(wire(page, 'shot-1.video', 'join.clip4')).toHaveCount(1);
  await expect(inputs).toHaveCount(5);
  await expect(join.getByLabel('input clip5', { exact: true })).toHaveCount(1);
});
