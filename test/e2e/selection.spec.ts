/**
 * Selecting as in other node editors: a click selects one node, Shift+click
 * adds another (and Run to here, which needs exactly one, turns off); copy
 * and paste keep wires.
 */
import { expect, test } from '@playwright/test';
import { allWires, canvas, node, openEditor, waitForCanvasToSettle, wire } from './editor-page.ts';

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

test('a pasted node comes without the wires that fed it, and with them on Ctrl+Shift+V', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openEditor(page);
  await waitForCanvasToSettle(page, 4);
  await node(page, 'Generate', 'shot').locator('.rg-node-title').click();
  await page.keyboard.press('ControlOrMeta+c');
  // Paste over empty canvas, below the graph.
  const box = (await canvas(page).boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height - 60);
  await page.keyboard.press('ControlOrMeta+v');
  await expect(node(page, 'Generate', 'shot-2')).toBeVisible();
  await expect(allWires(page)).toHaveCount(3);
  await expect(page.getByRole('log', { name: 'notices' })).toContainText('Pasted without the 2 wires coming in from other nodes; undo and press Ctrl+Shift+V to keep them.');

  await page.keyboard.press('ControlOrMeta+z');
  await expect(node(page, 'Generate', 'shot-2')).toHaveCount(0);
  await page.keyboard.press('ControlOrMeta+Shift+v');
  await expect(node(page, 'Generate', 'shot-2')).toBeVisible();
  await expect(wire(page, 'prompt.prompt', 'shot-2.prompt')).toHaveCount(1);
  await expect(wire(page, 'camera.camera', 'shot-2.camera')).toHaveCount(1);
  // The original keeps its own.
  await expect(wire(page, 'prompt.prompt', 'shot.prompt')).toHaveCount(1);
});
