/**
 * Reusable graphs in the editor: make three nodes one reusable graph, run
 * it, insert a second use from the palette, edit the definition once and see
 * every use follow, expand a use back into plain nodes; the engine serves
 * every node whose inputs did not change from its cache.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  allNodes,
  canvas,
  chooseInPalette,
  drawWire,
  freshSeed,
  makeGenerateSmall,
  node,
  nodeStatus,
  openEditor,
  queueStatus,
  run,
  savedDocument,
  screenshot,
  waitForCanvasToSettle,
  waitForViewToSettle,
  wire,
  makeShotReusable,
} from './editor-page.ts';

interface SavedWithDefinitions {
  nodes: { id: string; type: string; params: Record<string, unknown> }[];
  edges: { from: { node: string; port: string }; to: { node: string; port: string } }[];
  models?: Record<string, { sha256: string }>;
  definitions?: Record<string, { name: string; nodes: { id: string; params: Record<string, unknown> }[]; outputs: Record<string, unknown>; params: Record<string, unknown> }>;
}

test('make reusable, run, insert a second use, edit the definition, expand a use', async ({ page }) => {
  test.setTimeout(240_000);
  const seed = await openFreshFirstShot(page, 'sunset over the ocean');

  // Select prompt, camera and generator; make them reusable from the node menu, exposing the seed.
  await makeShotReusable(page, 'Shot');

  // One use node in their place, wired as before, with the seed as its param.
  const use = node(page, 'Shot', 'shot');
  await expect(allNodes(page)).toHaveCount(2);
  await expect(use).toBeVisible();
  await expect(wire(page, 'shot.video', 'export.video')).toHaveCount(1);
  await expect(use.getByLabel('output video', { exact: true })).toBeAttached();
  await expect(page.getByRole('spinbutton', { name: 'Shot: seed', exact: true })).toHaveValue(seed);

  // It is one undo step.
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(allNodes(page)).toHaveCount(4);
  await expect(node(page, 'Generate', 'shot')).toBeVisible();
  await page.getByRole('button', { name: 'Redo', exact: true }).click();
  await expect(use).toBeVisible();
  await expect(allNodes(page)).toHaveCount(2);

  // Run: the engine expands the use; its inner nodes and the export run, and the use shows their state and picture.
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded in [\d.]+ s · 4 ran, 0 cached$/, { timeout: 90_000 });
  await expect(nodeStatus(use, 'done')).toBeVisible();
  await expect(use.getByRole('img', { name: 'Shot preview' }).or(use.locator('video[aria-label="Shot preview"]'))).toBeVisible();
  // Unselected, so the screenshot shows the use's own look (its colour, the card stacked behind it).
  await page.keyboard.press('Escape');
  await canvas(page).locator('.react-flow__pane').click({ position: { x: 40, y: 40 } });
  await screenshot(page, 'reusable-use');

  // A second use from the palette ("Reusable graphs"), wired into a new export.
  const box = (await canvas(page).boundingBox())!;
  await page.mouse.dblclick(box.x + 500, box.y + 650);
  const palette = page.getByRole('dialog', { name: 'Add node' });
  await palette.getByRole('group', { name: 'Reusable graphs' }).getByRole('option', { name: 'Shot', exact: true }).click();
  await expect(palette).toBeHidden();
  const second = node(page, 'Shot', 'shot-2');
  await expect(second).toBeVisible();
  await page.getByRole('button', { name: 'Add node', exact: true }).click();
  await chooseInPalette(page, 'Export');
  const secondExport = node(page, 'Export', 'export-2');
  await expect(secondExport).toBeVisible();
  await drawWire(page, second.getByLabel('output video', { exact: true }), secondExport.getByLabel('input video', { exact: true }));
  await expect(wire(page, 'shot-2.video', 'export-2.video')).toHaveCount(1);

  // Same definition, same settings: its inner nodes come from the cache; only the new export runs (the first export, too, is cached).
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded in [\d.]+ s · 1 ran, 7 cached$/, { timeout: 90_000 });
  await expect(nodeStatus(second, 'cached')).toBeVisible();

  // Edit the definition once: its nodes open on the canvas under a banner.
  await use.locator('.rg-node-title').click({ button: 'right' });
  await page.getByRole('menu', { name: 'node menu' }).getByRole('menuitem', { name: 'Edit definition' }).click();
  const banner = page.getByRole('region', { name: 'editing reusable graph' });
  await expect(banner).toContainText('Editing reusable graph Shot');
  await expect(allNodes(page)).toHaveCount(3);
  await expect(node(page, 'Prompt', 'prompt')).toBeVisible();
  await waitForViewToSettle(page);
  await screenshot(page, 'reusable-editing');
  const text = page.getByRole('textbox', { name: 'Prompt: text', exact: true });
  await text.fill(`a lighthouse in a storm, take ${seed}`);
  await text.blur();
  await banner.getByRole('button', { name: 'Done' }).click();
  await expect(banner).toBeHidden();
  await expect(allNodes(page)).toHaveCount(4);

  // Both uses follow: their results were made from the old prompt.
  await expect(use.getByText('stale', { exact: true })).toBeVisible();
  await expect(second.getByText('stale', { exact: true })).toBeVisible();
  const saved = (await savedDocument(page)) as unknown as SavedWithDefinitions;
  expect(saved.definitions?.shot?.nodes.find((inner) => inner.id === 'prompt')?.params.text).toBe(`a lighthouse in a storm, take ${seed}`);
  expect(saved.nodes.filter((saved) => saved.type === 'graph:shot').map((saved) => saved.id)).toEqual(['shot', 'shot-2']);
  // The model used inside the definition is recorded with its weights, as for a node of the pipeline.
  expect(Object.keys(saved.models ?? {})).toEqual(['reelgraph/procedural-field']);

  // Expand the second use: plain nodes, wired to its export, with the definition's values.
  await second.locator('.rg-node-title').click({ button: 'right' });
  await page.getByRole('menu', { name: 'node menu' }).getByRole('menuitem', { name: 'Expand into nodes' }).click();
  await expect(second).toHaveCount(0);
  const expandedPrompt = node(page, 'Prompt', 'prompt');
  const expandedCamera = node(page, 'Camera move', 'camera');
  const expandedGenerate = node(page, 'Generate', 'shot-2');
  for (const plain of [expandedPrompt, expandedCamera, expandedGenerate]) await expect(plain).toBeVisible();
  await expect(wire(page, 'shot-2.video', 'export-2.video')).toHaveCount(1);
  await expect(wire(page, 'prompt.prompt', 'shot-2.prompt')).toHaveCount(1);
  await expect(page.getByRole('textbox', { name: 'Prompt: text', exact: true })).toHaveValue(`a lighthouse in a storm, take ${seed}`);

  // Run: the two camera moves (in the use and expanded) did not change and come from the cache; the new prompt and its
  // generator have equal keys in the use and expanded, so each renders once and its twin is served from the cache.
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded in [\d.]+ s · 4 ran, 4 cached$/, { timeout: 90_000 });
  await expect(nodeStatus(expandedCamera, 'cached')).toBeVisible();
  await expect(nodeStatus(use, 'done')).toBeVisible();
  await expect(canvas(page).getByText('stale', { exact: true })).toHaveCount(0);

  // Run to here on the use runs its inner nodes only (all cached now).
  await use.locator('.rg-node-title').click({ button: 'right' });
  await page.getByRole('menu', { name: 'node menu' }).getByRole('menuitem', { name: 'Run to here' }).click();
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded in [\d.]+ s · 0 ran, 3 cached$/, { timeout: 90_000 });
});

test('a problem inside a reusable graph shows on its use, and the problem list leads to the use', async ({ page }) => {
  await openEditor(page);
  await waitForCanvasToSettle(page, 4);
  await node(page, 'Prompt', 'prompt').locator('.rg-node-title').click();
  await node(page, 'Generate', 'shot').locator('.rg-node-title').click({ modifiers: ['Shift'] });
  await node(page, 'Generate', 'shot').locator('.rg-node-title').click({ button: 'right' });
  await page.getByRole('menu', { name: 'node menu' }).getByRole('menuitem', { name: 'Make reusable…' }).click();
  await page.getByRole('dialog', { name: 'Make reusable' }).getByRole('button', { name: 'Make reusable', exact: true }).click();
  // Both selected nodes move; the camera outside now feeds the use's exposed input.
  const use = node(page, 'Reusable graph', 'reusable-graph');
  await expect(use).toBeVisible();
  await expect(wire(page, 'camera.camera', 'reusable-graph.camera')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'problems: 0', exact: true })).toBeVisible();

  // Inside the definition, delete the prompt: the generator lacks its required input.
  await use.locator('.rg-node-title').click({ button: 'right' });
  await page.getByRole('menu', { name: 'node menu' }).getByRole('menuitem', { name: 'Edit definition' }).click();
  await node(page, 'Prompt', 'prompt').locator('.rg-node-title').click();
  await page.keyboard.press('Delete');
  await expect(node(page, 'Prompt', 'prompt')).toHaveCount(0);
  await page.getByRole('region', { name: 'editing reusable graph' }).getByRole('button', { name: 'Done' }).click();

  // The engine names the inner node (`reusable-graph/shot`); the editor shows it on the use.
  await expect(use.getByRole('list', { name: 'Reusable graph: problems' })).toBeVisible();
  // Nothing selected, then the problem list's item selects the use.
  await canvas(page).locator('.react-flow__pane').click({ position: { x: 40, y: 40 } });
  await expect(use.locator('.rg-node')).not.toHaveClass(/rg-selected/);
  await page.getByRole('button', { name: 'problems: 1', exact: true }).click();
  await page.getByRole('region', { name: 'problems' }).getByRole('button', { name: /^go to node reusable-graph\/shot: / }).click();
  await expect(use.locator('.rg-node')).toHaveClass(/rg-selected/);

  // Deleting inside the definition was one undo step: the problem goes.
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByRole('button', { name: 'problems: 0', exact: true })).toBeVisible();
});

test('a reusable graph inside another: open the inner one from the outer, see its run, edit it, and Done goes back one level', async ({ page }) => {
  test.setTimeout(180_000);
  const seed = await openFreshFirstShot(page, 'a harbour at dawn');
  await makeShotReusable(page, 'Shot');
  const shot = node(page, 'Shot', 'shot');
  const banner = page.getByRole('region', { name: 'editing reusable graph' });
  const editDefinition = async (use: ReturnType<typeof node>) => {
    await use.locator('.rg-node-title').click({ button: 'right' });
    await page.getByRole('menu', { name: 'node menu' }).getByRole('menuitem', { name: 'Edit definition' }).click();
  };

  // Inside Shot, prompt and camera become the reusable graph Look.
  await editDefinition(shot);
  await expect(banner).toContainText('Editing reusable graph Shot');
  await node(page, 'Prompt', 'prompt').locator('.rg-node-title').click();
  await node(page, 'Camera move', 'camera').locator('.rg-node-title').click({ modifiers: ['Shift'] });
  await node(page, 'Camera move', 'camera').locator('.rg-node-title').click({ button: 'right' });
  await page.getByRole('menu', { name: 'node menu' }).getByRole('menuitem', { name: 'Make reusable…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Make reusable' });
  await dialog.getByRole('textbox', { name: 'reusable graph name' }).fill('Look');
  await dialog.getByRole('button', { name: 'Make reusable', exact: true }).click();
  const look = node(page, 'Look', 'look');
  await expect(look).toBeVisible();
  await expect(allNodes(page)).toHaveCount(2);
  await expect(wire(page, 'look.prompt', 'shot.prompt')).toHaveCount(1);
  await banner.getByRole('button', { name: 'Done' }).click();
  await expect(banner).toBeHidden();

  // The pipeline runs as before: the nested graph expands to the same four nodes.
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded in [\d.]+ s · 4 ran, 0 cached$/, { timeout: 90_000 });

  // Open Shot, then Look inside it: the banner shows the chain, and the inner nodes show their run.
  await editDefinition(shot);
  await expect(nodeStatus(look, 'done')).toBeVisible();
  await editDefinition(look);
  await expect(banner).toContainText('First shot›Shot›Editing reusable graph Look');
  await expect(banner).toContainText('changes apply to its 1 use');
  await expect(allNodes(page)).toHaveCount(2);
  const prompt = node(page, 'Prompt', 'prompt');
  await expect(nodeStatus(prompt, 'done')).toBeVisible();
  await waitForViewToSettle(page);
  await screenshot(page, 'reusable-nested-editing');
  const text = page.getByRole('textbox', { name: 'Prompt: text', exact: true });
  await text.fill(`a harbour in fog, take ${seed}`);
  await text.blur();

  // Done goes back to Shot (Look's use is there, now stale), then to the pipeline.
  await banner.getByRole('button', { name: 'Done' }).click();
  await expect(banner).toContainText('Editing reusable graph Shot');
  await expect(look.getByText('stale', { exact: true })).toBeVisible();
  await banner.getByRole('button', { name: 'Done' }).click();
  await expect(banner).toBeHidden();
  await expect(shot.getByText('stale', { exact: true })).toBeVisible();
  const saved = (await savedDocument(page)) as unknown as SavedWithDefinitions;
  expect(saved.definitions?.look?.nodes.find((inner) => inner.id === 'prompt')?.params.text).toBe(`a harbour in fog, take ${seed}`);
  expect(saved.definitions?.shot?.nodes.map((inner) => inner.id)).toEqual(expect.arrayContaining(['look', 'shot']));

  // Only what the new prompt feeds renders again: the camera inside Look comes from the cache.
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded in [\d.]+ s · 3 ran, 1 cached$/, { timeout: 90_000 });
});

/**
 * The First shot example with a small generator and a fresh seed, prompt and
 * camera: the browser tests share one data dir, and other tests run this
 * example, so a count of nodes that ran needs params nobody ran before.
 */
async function openFreshFirstShot(page: Page, prompt: string): Promise<string> {
  await openEditor(page);
  await waitForCanvasToSettle(page, 4);
  const seed = freshSeed();
  await makeGenerateSmall(page);
  const seedField = page.getByRole('spinbutton', { name: 'Generate: seed', exact: true });
  await seedField.fill(seed);
  await seedField.blur();
  await page.getByRole('textbox', { name: 'Prompt: text', exact: true }).fill(`${prompt}, take ${seed}`);
  await page.getByRole('spinbutton', { name: 'Camera move: seed', exact: true }).fill(seed);
  await page.getByRole('spinbutton', { name: 'Camera move: seed', exact: true }).blur();
  return seed;
}
