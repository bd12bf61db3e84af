/**
 * Notes and groups on the canvas (issue 13): a note is typed, resized,
 * deleted and brought back by undo; a group made from a Shift+click
 * selection is renamed and dragged by its title, carrying its nodes (one undo
 * step); both survive Save and Open, travel inside an exported MP4, and a
 * file with broken ones opens with a notice instead of failing.
 */
import { expect, test, type Page } from '@playwright/test';
import { canvas, freshSeed, makeGenerateSmall, newPipeline, node, openEditor, queueStatus, run, savedDocument, screenshot, waitForCanvasToSettle } from './editor-page.ts';

interface SavedUi {
  notes?: { id: string; text: string; x: number; y: number; width: number; height: number }[];
  groups?: { id: string; title: string; x: number; y: number; width: number; height: number }[];
}

const notes = (page: Page) => canvas(page).getByRole('group', { name: /^note[ ,]/ });
const groupNamed = (page: Page, title: string) => canvas(page).getByRole('group', { name: `group “${title}”`, exact: true });

async function box(locator: ReturnType<Page['locator']>) {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not on screen');
  return found;
}

/** Open, as a person does: the toolbar button, then a file in the chooser. */
async function openWithFileChooser(page: Page, name: string, text: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open', exact: true }).click()]);
  await chooser.setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('a note and a group: edit, move with their nodes, undo, save and open again', async ({ page }) => {
  await openEditor(page);
  await waitForCanvasToSettle(page, 4);
  const prompt = node(page, 'Prompt', 'prompt');
  const camera = node(page, 'Camera move', 'camera');
  const shot = node(page, 'Generate', 'shot');

  // A note from the canvas menu, above the graph, and typed into.
  const area = await box(canvas(page));
  await page.mouse.click(area.x + area.width / 2, area.y + 40, { button: 'right' });
  await page.getByRole('menu', { name: 'canvas menu' }).getByRole('menuitem', { name: /^Add note here/ }).click();
  await expect(notes(page)).toHaveCount(1);
  const text = 'Ending B: rain instead of the sunset';
  await notes(page).getByRole('textbox', { name: 'note text', exact: true }).fill(text);
  await expect(notes(page)).toHaveAccessibleName(`note “${text}”`);

  // Resize it from its corner once selected (its strip is what to click or drag it by).
  await notes(page).locator('.rg-note-strip').click();
  const before = await box(notes(page));
  const corner = await box(notes(page).locator('.react-flow__resize-control.handle.bottom.right'));
  await page.mouse.move(corner.x + corner.width / 2, corner.y + corner.height / 2);
  await page.mouse.down();
  await page.mouse.move(corner.x + 80, corner.y + 40, { steps: 8 });
  await page.mouse.up();
  const after = await box(notes(page));
  expect(after.width - before.width).toBeGreaterThan(40);
  expect(after.height - before.height).toBeGreaterThan(20);

  // Delete it with the key, and undo brings it back with its text.
  await notes(page).locator('.rg-note-strip').click();
  await page.keyboard.press('Delete');
  await expect(notes(page)).toHaveCount(0);
  await page.keyboard.press('ControlOrMeta+z');
  await expect(notes(page).getByRole('textbox', { name: 'note text', exact: true })).toHaveValue(text);

  // Shift+click makes a selection of two; its menu groups it.
  await prompt.locator('.rg-node-title').click();
  await camera.locator('.rg-node-title').click({ modifiers: ['Shift'] });
  await expect(page.locator('.rg-node.rg-selected')).toHaveCount(2);
  await camera.locator('.rg-node-title').click({ button: 'right' });
  await page.getByRole('menu', { name: 'node menu' }).getByRole('menuitem', { name: /^Group selection/ }).click();
  const group = groupNamed(page, 'Group');
  await expect(group).toHaveCount(1);

  // The frame holds both nodes; renamed by double-clicking its title.
  const frame = await box(group);
  for (const inside of [await box(prompt), await box(camera)]) {
    expect(inside.x).toBeGreaterThan(frame.x);
    expect(inside.y).toBeGreaterThan(frame.y);
    expect(inside.x + inside.width).toBeLessThan(frame.x + frame.width);
    expect(inside.y + inside.height).toBeLessThan(frame.y + frame.height);
  }
  await group.locator('.rg-group-title').dblclick();
  await page.getByRole('textbox', { name: 'group title', exact: true }).fill('Opening');
  await page.keyboard.press('Enter');
  const opening = groupNamed(page, 'Opening');
  await expect(opening).toHaveCount(1);
  const placed = await savedDocument(page);

  // Dragging the title moves the group and its two nodes by as much; the generator outside stays.
  const [groupBefore, promptBefore, cameraBefore, shotBefore] = [await box(opening), await box(prompt), await box(camera), await box(shot)];
  const title = await box(opening.locator('.rg-group-title'));
  await page.mouse.move(title.x + 60, title.y + title.height / 2);
  await page.mouse.down();
  await page.mouse.move(title.x + 60 - 90, title.y + title.height / 2 + 70, { steps: 12 });
  await page.mouse.up();
  const groupAfter = await box(opening);
  const moved = { x: groupAfter.x - groupBefore.x, y: groupAfter.y - groupBefore.y };
  expect(moved.x).toBeLessThan(-60);
  expect(moved.y).toBeGreaterThan(40);
  for (const [member, start] of [
    [prompt, promptBefore],
    [camera, cameraBefore],
  ] as const) {
    const now = await box(member);
    expect(Math.abs(now.x - start.x - moved.x)).toBeLessThan(1);
    expect(Math.abs(now.y - start.y - moved.y)).toBeLessThan(1);
  }
  expect(await box(shot)).toEqual(shotBefore);

  // One undo step puts the group and its nodes back; redo moves them again.
  await page.keyboard.press('ControlOrMeta+z');
  await expect.poll(async () => Math.round((await box(prompt)).x - promptBefore.x)).toBe(0);
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect.poll(async () => Math.round((await box(prompt)).x - promptBefore.x)).toBe(Math.round(moved.x));

  // Saved in the pipeline's ui; the group's offset is its nodes' offset.
  const saved = await savedDocument(page);
  const ui = (saved as unknown as { ui: SavedUi }).ui;
  expect(ui.notes).toEqual([expect.objectContaining({ id: 'note-1', text })]);
  expect(ui.groups).toEqual([expect.objectContaining({ id: 'group-1', title: 'Opening' })]);
  const oldGroup = (placed as unknown as { ui: SavedUi }).ui.groups![0]!;
  const dx = ui.groups![0]!.x - oldGroup.x;
  const dy = ui.groups![0]!.y - oldGroup.y;
  expect(dx).toBeLessThan(0);
  for (const id of ['prompt', 'camera']) {
    const was = placed.nodes.find((candidate) => candidate.id === id)!.ui!;
    const is = saved.nodes.find((candidate) => candidate.id === id)!.ui!;
    expect(Math.abs(is.x - was.x - dx)).toBeLessThanOrEqual(1);
    expect(Math.abs(is.y - was.y - dy)).toBeLessThanOrEqual(1);
  }

  // Open it again after New: the note and the group are back, around their nodes.
  await newPipeline(page);
  await expect(notes(page)).toHaveCount(0);
  await openWithFileChooser(page, 'opening.reel.json', JSON.stringify(saved));
  await waitForCanvasToSettle(page, 4);
  await expect(notes(page).getByRole('textbox', { name: 'note text', exact: true })).toHaveValue(text);
  await expect(groupNamed(page, 'Opening')).toHaveCount(1);
  const reopened = await box(groupNamed(page, 'Opening'));
  const promptNow = await box(prompt);
  expect(promptNow.x).toBeGreaterThan(reopened.x);
  expect(promptNow.y).toBeGreaterThan(reopened.y);
  await page.mouse.click(area.x + 10, area.y + area.height - 10);
  await screenshot(page, 'notes-groups');
  expect((await savedDocument(page) as unknown as { ui: SavedUi }).ui).toEqual(ui);

  // The group's menu: Rename, then Escape keeps the title; Ungroup removes the frame and leaves its nodes where they are.
  const groupMenu = page.getByRole('menu', { name: 'group menu' });
  await groupNamed(page, 'Opening').locator('.rg-group-title').click({ button: 'right' });
  await groupMenu.getByRole('menuitem', { name: 'Rename group' }).click();
  await page.getByRole('textbox', { name: 'group title', exact: true }).fill('Never mind');
  await page.keyboard.press('Escape');
  await expect(groupNamed(page, 'Opening')).toHaveCount(1);
  await groupNamed(page, 'Opening').locator('.rg-group-title').click({ button: 'right' });
  await groupMenu.getByRole('menuitem', { name: /^Ungroup/ }).click();
  await expect(canvas(page).getByRole('group', { name: /^group “/ })).toHaveCount(0);
  expect(await box(prompt)).toEqual(promptNow);
});

test('a file with broken notes and groups opens with what is readable, and says what it left out', async ({ page }) => {
  await openEditor(page);
  await waitForCanvasToSettle(page, 4);
  const hostile = {
    format: 'reelgraph.pipeline',
    version: 1,
    name: 'Hostile',
    nodes: [{ id: 'prompt', type: 'prompt', params: { text: 'owls' }, ui: { x: 0, y: 0 } }],
    edges: [],
    ui: {
      notes: [{ id: 'ok', x: 0, y: 300, width: 200, height: 120, text: 'x'.repeat(20_000) }, { id: 7 }, 'note', { id: 'nan', x: 'a', y: 0, width: 1, height: 1, text: '' }],
      groups: { title: 'not a list' },
    },
  };
  await openWithFileChooser(page, 'hostile.reel.json', JSON.stringify(hostile));
  await waitForCanvasToSettle(page, 1);
  await expect(page.getByRole('log', { name: 'notices' }).getByRole('alert')).toContainText(
    'Notes and groups in this file: left out 3 unreadable notes; left out "groups", which is not a list; shortened 1 note to 10,000 characters.',
  );
  await expect(notes(page)).toHaveCount(1);
  await expect(notes(page).getByRole('textbox', { name: 'note text', exact: true })).toHaveValue('x'.repeat(10_000));
});

test('notes and groups travel inside an exported MP4', async ({ page }) => {
  await openEditor(page);
  await waitForCanvasToSettle(page, 4);
  await makeGenerateSmall(page);
  await page.getByRole('spinbutton', { name: 'Generate: seed', exact: true }).fill(freshSeed());
  await page.getByRole('spinbutton', { name: 'Generate: seed', exact: true }).blur();
  // N adds a note; Ctrl+G groups the selected node.
  await page.keyboard.press('n');
  await expect(notes(page)).toHaveCount(1);
  await notes(page).getByRole('textbox', { name: 'note text', exact: true }).fill('travels with the film');
  await node(page, 'Export', 'export').locator('.rg-node-title').click();
  await page.keyboard.press('ControlOrMeta+g');
  await expect(groupNamed(page, 'Group')).toHaveCount(1);
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded /, { timeout: 60_000 });

  await node(page, 'Export', 'export').getByRole('banner').click({ position: { x: 12, y: 10 } });
  const href = await page.getByRole('complementary', { name: 'preview' }).getByRole('link', { name: 'download file', exact: true }).getAttribute('href');
  const mp4 = await (await page.request.get(href!)).body();
  // The engine's import route reads the pipeline embedded in the file (what a drop on the canvas opens).
  const imported = await page.request.post('/import?name=film.mp4', { data: mp4, headers: { 'content-type': 'video/mp4' } });
  expect(imported.ok()).toBe(true);
  const { pipeline } = (await imported.json()) as { pipeline: { ui?: SavedUi } };
  expect(pipeline.ui?.notes).toEqual([expect.objectContaining({ text: 'travels with the film' })]);
  expect(pipeline.ui?.groups).toEqual([expect.objectContaining({ title: 'Group' })]);
});
