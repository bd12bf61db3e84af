/**
 * The storyboard: the Storyboard example's film as cards, over the same
 * document as the graph. Reordering rewires the concat and so the exported
 * film; a shot added from the storyboard is rendered; a branched ending
 * reuses the earlier shots from the cache.
 *
 * Shots are told apart by colour: the built-in procedural model colours a
 * shot by its prompt, so each shot's middle frame in the exported MP4 has a
 * mean colour of its own.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { decodeVideo, memoryFrameStore } from '@reelgraph/nodes';
import { node, openEditor, openExample, queueStatus, run, savedDocument, screenshot, type SavedDocument } from './editor-page.ts';

type Rgb = [number, number, number];

const FOREST = 'a misty forest at dawn, calm';
const DESERT = 'a bright desert at noon, vast dunes';
const CITY = 'a neon city at night, vivid';
const GLACIER = 'a snowy glacier under an icy sky';
const VOLCANO = 'a volcano erupting, fire and lava';
// The example's shots: 2 s at 24 fps, joined by 0.5 s crossfades.
const SHOT_FRAMES = 48;
const CROSSFADE_FRAMES = 12;

const storyboard = (page: Page) => page.getByRole('region', { name: 'storyboard' });
const cards = (page: Page) => storyboard(page).getByRole('list', { name: 'shots' }).getByRole('listitem', { name: /^Shot \d+ \(/ });
const card = (page: Page, position: number, generateId: string) => storyboard(page).getByRole('listitem', { name: `Shot ${position} (${generateId})`, exact: true });

async function prompts(page: Page): Promise<string[]> {
  return storyboard(page).getByRole('textbox', { name: /^Shot \d+: prompt$/ }).evaluateAll((fields) => fields.map((field) => (field as unknown as { value: string }).value));
}

function clipWiring(doc: SavedDocument, concatId: string): string[] {
  return doc.edges
    .filter((edge) => edge.to.node === concatId && edge.to.port.startsWith('clip'))
    .sort((a, b) => Number(a.to.port.slice(4)) - Number(b.to.port.slice(4)))
    .map((edge) => `${edge.to.port} ← ${edge.from.node}`);
}

async function runAndWait(page: Page): Promise<void> {
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded /, { timeout: 90_000 });
}

/** The newest export of `filename` in the engine's outputs folder (exports count up: name_00001, name_00002, …). */
async function newestExport(filename: string): Promise<string> {
  const folder = path.join(process.env.REELGRAPH_E2E_DATA!, 'outputs');
  const pattern = new RegExp(`^${filename}_(\\d+)\\.mp4$`);
  const files = (await readdir(folder)).filter((file) => pattern.test(file)).sort();
  expect(files, `an export named ${filename}_NNNNN.mp4`).not.toHaveLength(0);
  return path.join(folder, files.at(-1)!);
}

/** The mean colour of each shot's middle frame in an exported film of `shots` crossfaded shots, and its frame count. */
async function shotColours(file: string, shots: number): Promise<{ frames: number; colours: Rgb[] }> {
  const video = await decodeVideo(file, { store: memoryFrameStore });
  const colours: Rgb[] = [];
  for (let shot = 0; shot < shots; shot++) {
    const frame = await video.frames.read(shot * (SHOT_FRAMES - CROSSFADE_FRAMES) + SHOT_FRAMES / 2, 1);
    const sum: Rgb = [0, 0, 0];
    for (let i = 0; i < frame.length; i += 3) for (let c = 0; c < 3; c++) sum[c as 0 | 1 | 2] += frame[i + c]!;
    colours.push(sum.map((total) => Math.round(total / (frame.length / 3))) as Rgb);
  }
  return { frames: video.frameCount, colours };
}

const distance = (a: Rgb, b: Rgb) => Math.max(...a.map((value, c) => Math.abs(value - b[c]!)));

function expectSameColours(actual: Rgb[], expected: Rgb[]): void {
  expect(actual).toHaveLength(expected.length);
  for (const [i, colour] of actual.entries()) expect(distance(colour, expected[i]!), `shot ${i + 1}: ${colour} ≈ ${expected[i]}`).toBeLessThanOrEqual(6);
}

async function openStoryboard(page: Page): Promise<void> {
  await page.getByRole('group', { name: 'view' }).getByRole('button', { name: 'Storyboard', exact: true }).click();
  await expect(storyboard(page)).toBeVisible();
}

test('the storyboard reorders, adds and branches shots, and the exported film follows', async ({ page }) => {
  test.setTimeout(240_000);
  await openEditor(page);
  await openExample(page, 'Storyboard');
  await openStoryboard(page);
  await expect(page.getByRole('button', { name: 'Storyboard', exact: true })).toHaveAttribute('aria-pressed', 'true');
  expect(await prompts(page)).toEqual([FOREST, DESERT, CITY]);
  await expect(cards(page)).toHaveCount(3);
  await expect(storyboard(page).getByRole('img', { name: 'Shot 2: camera move diagram' })).toBeVisible();
  await expect(storyboard(page).getByLabel('Shot 1: model reelgraph/procedural-field')).toBeVisible();

  // The film as the example makes it: forest, desert, city.
  await runAndWait(page);
  const original = await shotColours(await newestExport('storyboard'), 3);
  expect(original.frames).toBe(3 * SHOT_FRAMES - 2 * CROSSFADE_FRAMES);
  // Three shots that a reorder can be seen in: no two alike.
  for (const [a, b] of [[0, 1], [1, 2], [0, 2]] as const) expect(distance(original.colours[a]!, original.colours[b]!)).toBeGreaterThan(20);
  await expect(card(page, 1, 'shot-1').getByLabel('Shot 1 preview', { exact: true })).toBeVisible();

  // By keyboard: the city moves before the desert, and keeps the focus.
  await card(page, 3, 'shot-3').focus();
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(card(page, 2, 'shot-3')).toBeFocused();
  expect(await prompts(page)).toEqual([FOREST, CITY, DESERT]);

  // By drag: the forest goes to the end.
  // HTML drag and drop from the card's handle onto the last card, as a mouse does it.
  await card(page, 1, 'shot-1').getByRole('button', { name: 'Shot 1: drag to reorder' }).dragTo(card(page, 3, 'shot-2'));
  await expect.poll(() => prompts(page)).toEqual([CITY, DESERT, FOREST]);
  expect(clipWiring(await savedDocument(page), 'join')).toEqual(['clip1 ← shot-3', 'clip2 ← shot-2', 'clip3 ← shot-1']);

  // One history with the graph: undo takes back the drag, redo brings it again.
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(() => prompts(page)).toEqual([FOREST, CITY, DESERT]);
  await page.getByRole('button', { name: 'Redo', exact: true }).click();
  await expect.poll(() => prompts(page)).toEqual([CITY, DESERT, FOREST]);

  await runAndWait(page);
  const reordered = await shotColours(await newestExport('storyboard'), 3);
  expectSameColours(reordered.colours, [original.colours[2]!, original.colours[1]!, original.colours[0]!]);

  // A fourth shot from the storyboard: a copy of the last, with its own prompt, in clip 4.
  await storyboard(page).getByRole('textbox', { name: 'new shot prompt' }).fill(GLACIER);
  await storyboard(page).getByRole('button', { name: 'Add shot' }).click();
  await expect(cards(page)).toHaveCount(4);
  expect(await prompts(page)).toEqual([CITY, DESERT, FOREST, GLACIER]);
  const withFourth = await savedDocument(page);
  expect(clipWiring(withFourth, 'join')).toEqual(['clip1 ← shot-3', 'clip2 ← shot-2', 'clip3 ← shot-1', 'clip4 ← shot-4']);
  expect(withFourth.nodes.find((candidate) => candidate.id === 'prompt-4')?.params.text).toBe(GLACIER);
  await runAndWait(page);
  await expect(card(page, 4, 'shot-4').getByLabel('status: done', { exact: true })).toBeVisible();
  const four = await shotColours(await newestExport('storyboard'), 4);
  expect(four.frames).toBe(4 * SHOT_FRAMES - 3 * CROSSFADE_FRAMES);
  expectSameColours(four.colours.slice(0, 3), reordered.colours);
  for (const earlier of four.colours.slice(0, 3)) expect(distance(four.colours[3]!, earlier)).toBeGreaterThan(20);

  // An alternate ending from shot 3: the variant film opens, its own third shot gets a new prompt.
  await card(page, 3, 'shot-1').getByRole('button', { name: 'Shot 3: branch from here' }).click();
  await expect(storyboard(page).getByRole('combobox', { name: 'film' })).toHaveValue('join-2');
  await expect(cards(page)).toHaveCount(4);
  await expect(card(page, 1, 'shot-3')).toBeVisible();
  await expect(card(page, 2, 'shot-2')).toBeVisible();
  await storyboard(page).getByRole('textbox', { name: 'Shot 3: prompt' }).fill(VOLCANO);
  const branched = await savedDocument(page);
  expect(clipWiring(branched, 'join')).toEqual(clipWiring(withFourth, 'join'));
  const branchClips = clipWiring(branched, 'join-2');
  expect(branchClips.slice(0, 2)).toEqual(['clip1 ← shot-3', 'clip2 ← shot-2']);
  expect(branchClips.slice(2).some((clip) => /shot-[1-4]$/.test(clip))).toBe(false);

  await runAndWait(page);
  // The shared shots come from the cache; the new third shot is rendered.
  await expect(card(page, 1, 'shot-3').getByLabel('status: cached', { exact: true })).toBeVisible();
  await expect(card(page, 2, 'shot-2').getByLabel('status: cached', { exact: true })).toBeVisible();
  await expect(cards(page).nth(2).getByLabel('status: done', { exact: true })).toBeVisible();
  const ending = await shotColours(await newestExport('storyboard-ending-2'), 4);
  expectSameColours(ending.colours.slice(0, 2), four.colours.slice(0, 2));
  expect(distance(ending.colours[2]!, four.colours[2]!)).toBeGreaterThan(20);
  await screenshot(page, 'storyboard-view');

  // Back to the first film: its cards are the four shots as they were.
  await storyboard(page).getByRole('combobox', { name: 'film' }).selectOption('join');
  expect(await prompts(page)).toEqual([CITY, DESERT, FOREST, GLACIER]);
});

test('cards and graph follow each other, and a card shows its generator in the graph', async ({ page }) => {
  await openEditor(page);
  await openExample(page, 'Storyboard');
  await openStoryboard(page);

  // A card edit is a graph edit.
  await storyboard(page).getByRole('textbox', { name: 'Shot 2: prompt' }).fill('a red canyon at sunset');
  const duration = storyboard(page).getByRole('spinbutton', { name: 'Shot 2: duration' });
  await duration.fill('1.5');
  await duration.blur();
  const edited = await savedDocument(page);
  expect(edited.nodes.find((candidate) => candidate.id === 'prompt-2')?.params.text).toBe('a red canyon at sunset');
  expect(edited.nodes.find((candidate) => candidate.id === 'shot-2')?.params.duration).toBe(1.5);

  // A transition set between two cards is the concat's override for that join.
  await storyboard(page).getByRole('combobox', { name: 'transition after shot 1' }).selectOption('cut');
  expect((await savedDocument(page)).nodes.find((candidate) => candidate.id === 'join')?.params.joins).toEqual([{ transition: 'cut', duration: 0 }]);

  // Titles after shots: the generators read as the story.
  await storyboard(page).getByRole('button', { name: 'Title nodes after shots' }).click();
  await expect(storyboard(page).getByRole('listitem', { name: 'Shot 2 (shot-2)' })).toContainText('Shot 2 — red canyon');

  // Delete on a focused card deletes that shot (one undo brings it back).
  await storyboard(page).getByRole('listitem', { name: 'Shot 3 (shot-3)' }).focus();
  await page.keyboard.press('Delete');
  await expect(cards(page)).toHaveCount(2);
  expect(clipWiring(await savedDocument(page), 'join')).toEqual(['clip1 ← shot-1', 'clip2 ← shot-2']);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(cards(page)).toHaveCount(3);

  // "Show in graph" switches views and selects the shot's generator.
  await storyboard(page).getByRole('button', { name: 'Shot 2: show in graph' }).click();
  await expect(storyboard(page)).toBeHidden();
  const generator = node(page, 'Shot 2 — red canyon', 'shot-2');
  await expect(generator.locator('.rg-node')).toHaveClass(/rg-selected/);

  // A graph edit shows on the card.
  const text = node(page, 'Prompt', 'prompt-3').getByRole('textbox', { name: 'Prompt: text', exact: true });
  await text.fill('a neon city in the rain');
  await openStoryboard(page);
  expect(await prompts(page)).toEqual([FOREST, 'a red canyon at sunset', 'a neon city in the rain']);
});
