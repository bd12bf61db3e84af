/**
 * Auto-layout on a pipeline bigger than a screenful of thought: the
 * storyboard example plus nodes dropped on top of each other. Afterwards no
 * two nodes overlap, every wire runs left to right (ELK layered, RIGHT), and
 * the shots stack in film order.
 */
import { expect, test } from '@playwright/test';
import { allNodes, allWires, chooseInPalette, nodeBoxes, openExample, overlaps, screenshot, waitForCanvasToSettle, type Box } from './editor-page.ts';

test('auto-layout leaves no overlapping nodes and wires running left to right', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('status', { name: 'engine: connected', exact: true })).toBeVisible();
  await waitForCanvasToSettle(page, 4);

  const exampleNodes = await openExample(page, 'Storyboard');
  expect(exampleNodes).toBeGreaterThanOrEqual(8);

  // Three more nodes from the toolbar's palette, asked for at the same spot: each lands in free space near it.
  for (const title of ['Prompt', 'Camera move', 'Generate']) {
    await page.getByRole('button', { name: 'Add node', exact: true }).click();
    await chooseInPalette(page, title);
  }
  await expect(allNodes(page)).toHaveCount(exampleNodes + 3);
  await waitForCanvasToSettle(page, exampleNodes + 3);
  expect(overlaps(await nodeBoxes(page)), 'nodes added on top of others').toEqual([]);
  await screenshot(page, 'added-in-free-space');

  await page.getByRole('button', { name: 'Auto-layout', exact: true }).click();
  await expect.poll(async () => overlaps(await nodeBoxes(page)), { message: 'nodes still overlap after Auto-layout' }).toEqual([]);
  const boxes = await waitForCanvasToSettle(page, exampleNodes + 3);
  await screenshot(page, 'auto-layout-storyboard');

  const byId = new Map<string, Box>(boxes.map((box) => [/\(([^()]+)\)$/.exec(box.name)![1]!, box]));
  // The shots read as the film: shot 1 (concat's clip 1) on top, then 2, then 3.
  const tops = ['shot-1', 'shot-2', 'shot-3'].map((id) => byId.get(id)!.y);
  expect(tops, 'shots top to bottom in film order').toEqual([...tops].sort((a, b) => a - b));
  const wires = await allWires(page).evaluateAll((elements) => elements.map((element) => (element as unknown as { getAttribute(name: string): string | null }).getAttribute('aria-label') ?? ''));
  expect(wires.length).toBeGreaterThan(0);
  for (const name of wires) {
    const [, from, to] = /^wire from (.+)\.[^.\s]+ to (.+)\.[^.\s]+$/.exec(name) ?? [];
    const source = byId.get(from ?? '');
    const target = byId.get(to ?? '');
    expect(source && target, `the nodes of "${name}"`).toBeTruthy();
    expect(source!.x + source!.width, `${name}: the source ends left of the target`).toBeLessThanOrEqual(target!.x + 1);
  }
});
