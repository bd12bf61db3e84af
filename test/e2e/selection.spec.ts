/**
 * Selecting as in other node editors: a click selects one node, Shift+click
 * adds another (and Run to here, which needs exactly one, turns off).
 */
import { expect, test } from '@playwright/test';
import { node, openEditor, waitForCanvasToSettle } from './editor-page.ts';

test('Shift+click adds a node to the selection', async ({ page }) => {
  await openEditor(page);
  await waitForCanvasToSettle(page, 4);
  const selected = page.locator('.rg-node.rg-selected');
  const runToHere = page.getByRole('button', { name: 'Run to here', exact: true });

  await node(page, 'Prompt', 'prompt').locator('.rg-node-title').click();
  await expect(selected).toHaveCount(1);
  await expect(runToHere).toBeEnabled();

  await node(page, 'Generate', 'shot').locator('.rg-node-title').click({ modifiers: ['Shift'] });
  await expect(selected).toHaveCount(2);
  await expect(runToHere).toBeDisabled();

  // A plain click starts over with one.
  await node(page, 'Export', 'export').locator('.rg-node-title').click();
  await expect(selected).toHaveCount(1);
});
