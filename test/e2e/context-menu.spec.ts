/**
 * Context menus on a node, a wire and the canvas, by mouse and by keyboard
 * (Shift+F10, arrows, Enter, Escape), each doing what its shortcut does.
 */
import { expect, test } from '@playwright/test';
import { allNodes, canvas, node, openEditor, screenshot, waitForCanvasToSettle, wire } from './editor-page.ts';

test('right-click menus duplicate a node, delete a wire and add a node; the keyboard reaches them too', async ({ page }) => {
  await openEditor(page);
  await waitForCanvasToSettle(page, 4);

  // A node: its menu duplicates it.
  await node(page, 'Generate', 'shot').locator('.rg-node-title').click({ button: 'right' });
  const nodeMenu = page.getByRole('menu', { name: 'node menu' });
  await expect(nodeMenu.getByRole('menuitem')).toHaveText(['Run to here', 'Duplicate nodeCtrl+D', 'Copy nodeCtrl+C', 'Group selectionCtrl+G', 'Make reusable…', 'Delete nodeDelete']);
  await expect(nodeMenu.getByRole('menuitem', { name: 'Run to here' })).toBeFocused();
  await screenshot(page, 'context-menu-node');
  await nodeMenu.getByRole('menuitem', { name: /^Duplicate node/ }).click();
  await expect(nodeMenu).toHaveCount(0);
  await expect(node(page, 'Generate', 'shot-2')).toBeVisible();

  // A wire: its menu deletes it.
  await expect(wire(page, 'shot.video', 'export.video')).toHaveCount(1);
  const path = wire(page, 'shot.video', 'export.video').locator('path.react-flow__edge-interaction');
  const box = (await path.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
  await page.getByRole('menu', { name: 'wire menu' }).getByRole('menuitem', { name: /^Delete wire/ }).click();
  await expect(wire(page, 'shot.video', 'export.video')).toHaveCount(0);

  // The canvas, by keyboard: nothing selected, Shift+F10 opens the canvas menu; arrows and Enter choose; Escape closes.
  await page.keyboard.press('Escape');
  await canvas(page).locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Shift+F10');
  const canvasMenu = page.getByRole('menu', { name: 'canvas menu' });
  await expect(canvasMenu.getByRole('menuitem', { name: /^Add node here/ })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(canvasMenu.getByRole('menuitem', { name: /^Add note here/ })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(canvasMenu.getByRole('menuitem', { name: /^Paste/ })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(canvasMenu).toHaveCount(0);
  await page.keyboard.press('Shift+F10');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Add node' })).toBeVisible();
  await page.keyboard.press('Escape');

  // The node menu by keyboard: select a node, Shift+F10, End to Delete, Enter.
  const before = await allNodes(page).count();
  await node(page, 'Generate', 'shot-2').locator('.rg-node-title').click();
  await page.keyboard.press('Shift+F10');
  await page.keyboard.press('End');
  await expect(page.getByRole('menu', { name: 'node menu' }).getByRole('menuitem', { name: /^Delete node/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(allNodes(page)).toHaveCount(before - 1);
});
