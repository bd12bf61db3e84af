/**
 * What the end-to-end specs share: finding nodes, ports and wires by their
 * accessible names (editor/README.md), adding nodes through the palette,
 * drawing wires with real pointer moves, reading the document back through
 * Save, and measuring node boxes on the canvas.
 *
 * The root tsconfig has no DOM library (it checks Node packages), so code that
 * runs in the page names the few browser types it touches itself.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page } from '@playwright/test';
import { decodeImage } from '@reelgraph/nodes';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOTS = path.join(REPO_ROOT, 'test/.tmp/screenshots');

/** The parts of a pipeline document the specs compare. */
export interface SavedDocument {
  format: string;
  version: number;
  name: string;
  nodes: { id: string; type: string; title?: string; params: Record<string, unknown>; ui?: { x: number; y: number } }[];
  edges: { from: { node: string; port: string }; to: { node: string; port: string } }[];
  assets: Record<string, unknown>;
  models?: Record<string, { sha256: string }>;
}

export interface Box {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Browser globals used inside `evaluate` callbacks (types only: erased before the code reaches the page). */
export interface BrowserRect {
  left: number;
  top: number;
  width: number;
  height: number;
}
export interface BrowserElement {
  getAttribute(name: string): string | null;
  getBoundingClientRect(): BrowserRect;
}

/** Opens the editor and waits for the engine's catalog (the status bar says connected). */
export async function openEditor(page: Page, url = '/'): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('status', { name: 'engine: connected', exact: true })).toBeVisible();
}

export function canvas(page: Page): Locator {
  return page.getByRole('application', { name: 'pipeline canvas' });
}

/** A node by its accessible name, `<title> (<id>)`. */
export function node(page: Page, title: string, id: string): Locator {
  return canvas(page).getByRole('group', { name: `${title} (${id})`, exact: true });
}

/** Every node on the canvas: groups named `<title> (<id>)` (wires are named `wire from …`). */
export function allNodes(page: Page): Locator {
  return canvas(page).getByRole('group', { name: /^(?!wire from ).*\([^()]+\)$/ });
}

export function wire(page: Page, from: string, to: string): Locator {
  return canvas(page).getByRole('group', { name: `wire from ${from} to ${to}`, exact: true });
}

export function allWires(page: Page): Locator {
  return canvas(page).getByRole('group', { name: /^wire from / });
}

export function nodeStatus(nodeLocator: Locator, state: string): Locator {
  return nodeLocator.getByLabel(`status: ${state}`, { exact: true });
}

export function queueStatus(page: Page): Locator {
  return page.getByRole('status', { name: /^queue: / });
}

/** Double-clicks empty canvas at (x, y) relative to the canvas, and picks `title` in the palette that opens there. */
export async function addNodeAt(page: Page, title: string, x: number, y: number): Promise<void> {
  const box = await canvas(page).boundingBox();
  if (!box) throw new Error('the canvas is not on screen');
  await page.mouse.dblclick(box.x + x, box.y + y);
  await chooseInPalette(page, title);
}

export async function chooseInPalette(page: Page, title: string): Promise<void> {
  const palette = page.getByRole('dialog', { name: 'Add node' });
  await expect(palette).toBeVisible();
  await palette.getByRole('combobox', { name: 'search nodes' }).fill(title);
  await palette.getByRole('option', { name: title, exact: true }).click();
  await expect(palette).toBeHidden();
}

/**
 * Draws a wire the way a person does: press on one handle, move there in
 * small steps (React Flow tracks the pointer), release on the other.
 */
export async function drawWire(page: Page, from: Locator, to: Locator): Promise<void> {
  const start = await centre(from);
  const end = await centre(to);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 8 });
  await page.mouse.move(end.x, end.y, { steps: 8 });
  await page.mouse.up();
}

/** Drags an element by the given offset with real pointer moves. */
export async function dragBy(page: Page, target: Locator, dx: number, dy: number, at?: { x: number; y: number }): Promise<void> {
  const box = await target.boundingBox();
  if (!box) throw new Error('nothing to drag');
  const start = at ? { x: box.x + at.x, y: box.y + at.y } : { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + dx, start.y + dy, { steps: 12 });
  await page.mouse.up();
}

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('the element is not on screen');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Opens an example from the Examples menu by its title and waits for its nodes to settle; returns how many there are. */
export async function openExample(page: Page, title: string): Promise<number> {
  await page.getByRole('button', { name: 'Examples', exact: true }).click();
  await page.getByRole('menu', { name: 'examples' }).getByRole('menuitem', { name: new RegExp(`^${title}`) }).click();
  await expect(page.getByRole('textbox', { name: 'pipeline name', exact: true })).toHaveValue(title);
  const count = await allNodes(page).count();
  await waitForCanvasToSettle(page, count);
  return count;
}

/** Save, as a person would: the download's text parsed. */
export async function savedDocument(page: Page): Promise<SavedDocument> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save', exact: true }).click()]);
  const file = await download.path();
  return JSON.parse(await readFile(file, 'utf8')) as SavedDocument;
}

/** Canvas boxes of every node, in one read (so the boxes belong to the same frame). */
export async function nodeBoxes(page: Page): Promise<Box[]> {
  return allNodes(page).evaluateAll((elements) =>
    (elements as unknown as BrowserElement[]).map((element) => {
      const rect = element.getBoundingClientRect();
      return { name: element.getAttribute('aria-label') ?? '', x: rect.left, y: rect.top, width: rect.width, height: rect.height };
    }),
  );
}

/** Pairs of boxes that overlap by more than a pixel (borders may touch). */
export function overlaps(boxes: readonly Box[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const x = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const y = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (x > 1 && y > 1) found.push(`${a.name} × ${b.name}`);
    }
  }
  return found;
}

/**
 * Waits until the canvas stops moving: an opened pipeline is measured, laid
 * out if its nodes overlap (ELK, in a worker that may still be starting),
 * then fitted in view with a 250 ms animation. Settled means no two nodes
 * overlap and three reads 300 ms apart agree.
 */
export async function waitForCanvasToSettle(page: Page, nodeCount: number): Promise<Box[]> {
  await expect(allNodes(page)).toHaveCount(nodeCount);
  const unchanged = unchangedReads();
  let boxes: Box[] = [];
  await expect
    .poll(
      async () => {
        boxes = await nodeBoxes(page);
        const now = JSON.stringify(boxes.map((box) => [box.name, Math.round(box.x), Math.round(box.y), Math.round(box.width), Math.round(box.height)]));
        return unchanged(now) && boxes.every((box) => box.width > 0) && overlaps(boxes).length === 0;
      },
      { intervals: [300], message: 'the canvas kept moving, or its nodes overlap' },
    )
    .toBe(true);
  return boxes;
}

/** Clicks New and waits for the empty canvas's fit-view animation to end, so clicks land where they are aimed. */
export async function newPipeline(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(allNodes(page)).toHaveCount(0);
  await waitForViewToSettle(page);
}

/**
 * True once a value has read the same three times in a row. Two equal reads
 * 300 ms apart can both come before a fit-view animation that a busy machine
 * has yet to start; three make that far less likely.
 */
function unchangedReads(): (now: string) => boolean {
  let previous = '';
  let repeats = 0;
  return (now) => {
    repeats = now === previous ? repeats + 1 : 0;
    previous = now;
    return repeats >= 2;
  };
}

/** Waits until the canvas's pan and zoom stop changing (fit view animates for 250 ms). */
export async function waitForViewToSettle(page: Page): Promise<void> {
  const unchanged = unchangedReads();
  await expect
    .poll(
      async () => {
        // The pan/zoom transform lives only in React Flow's viewport style; nothing accessible names it.
        const now = await canvas(page)
          .locator('.react-flow__viewport')
          .evaluate((element) => (element as unknown as { style: { transform: string } }).style.transform);
        return unchanged(now);
      },
      { intervals: [300], message: 'the view kept moving' },
    )
    .toBe(true);
}

/**
 * Adds a prompt, a camera move, a generator and an export to an empty canvas
 * through the palette, apart from each other. The generator goes first: the
 * view re-centres on the first node of an empty canvas (see known-bugs.spec.ts),
 * and the middle is where the generator belongs either way.
 */
export async function addShotNodes(page: Page): Promise<{ prompt: Locator; camera: Locator; generate: Locator; exporter: Locator }> {
  await addNodeAt(page, 'Generate', 500, 150);
  await waitForViewToSettle(page);
  await addNodeAt(page, 'Prompt', 60, 40);
  await addNodeAt(page, 'Camera move', 60, 380);
  await addNodeAt(page, 'Export', 900, 200);
  const nodes = {
    prompt: node(page, 'Prompt', 'prompt'),
    camera: node(page, 'Camera move', 'camera-move'),
    generate: node(page, 'Generate', 'generate'),
    exporter: node(page, 'Export', 'export'),
  };
  for (const added of Object.values(nodes)) await expect(added).toBeVisible();
  expect(overlaps(await nodeBoxes(page))).toEqual([]);
  return nodes;
}

/** Sets the generator's size and length small, so a CPU run takes a second or two. */
export async function makeGenerateSmall(page: Page, title = 'Generate'): Promise<void> {
  for (const [param, value] of [
    ['width', '256'],
    ['height', '144'],
    ['duration', '1'],
    ['fps', '12'],
  ] as const) {
    const field = page.getByRole('spinbutton', { name: `${title}: ${param}`, exact: true });
    await field.fill(value);
    await field.blur();
    await expect(field).toHaveValue(value);
  }
}

export async function run(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
}

/**
 * How much the pixels an element shows on screen vary: the standard deviation
 * of each of R, G and B over the element, averaged (0–255). Near 0 for a flat
 * fill, large for a picture. It looks at the screen, so it sees whatever
 * covers the element.
 */
export async function pixelSpread(element: Locator, name: string): Promise<number> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // A visible <img> may not be decoded yet, and a <video> may not have its first frame: either would measure as blank.
  await element.evaluate(async (el) => {
    if (el.tagName === 'IMG') await (el as unknown as { decode(): Promise<void> }).decode().catch(() => undefined);
    const media = el as unknown as { readyState: number };
    for (const deadline = Date.now() + 10_000; el.tagName === 'VIDEO' && media.readyState < 2 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  await writeFile(file, await element.screenshot());
  const { pixels } = await decodeImage(file);
  const count = pixels.length / 3;
  let spread = 0;
  for (let channel = 0; channel < 3; channel++) {
    let sum = 0;
    let squares = 0;
    for (let i = channel; i < pixels.length; i += 3) {
      sum += pixels[i]!;
      squares += pixels[i]! * pixels[i]!;
    }
    const mean = sum / count;
    spread += Math.sqrt(Math.max(0, squares / count - mean * mean)) / 3;
  }
  return spread;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A seed nobody else in this run uses, so a node's first run really executes (the e2e engine's cache outlives a spec). */
export function freshSeed(): string {
  return String(100_000 + Math.floor(Math.random() * 900_000));
}

/**
 * Selects the First shot example's prompt, camera move and generator and makes
 * them the reusable graph `name` from the node menu, exposing the generator's seed.
 */
export async function makeShotReusable(page: Page, name: string): Promise<void> {
  await node(page, 'Prompt', 'prompt').locator('.rg-node-title').click();
  await node(page, 'Camera move', 'camera').locator('.rg-node-title').click({ modifiers: ['Shift'] });
  await node(page, 'Generate', 'shot').locator('.rg-node-title').click({ modifiers: ['Shift'] });
  await node(page, 'Generate', 'shot').locator('.rg-node-title').click({ button: 'right' });
  await page.getByRole('menu', { name: 'node menu' }).getByRole('menuitem', { name: 'Make reusable…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Make reusable' });
  await dialog.getByRole('textbox', { name: 'reusable graph name' }).fill(name);
  await dialog.getByRole('checkbox', { name: 'expose shot.seed' }).check();
  await dialog.getByRole('button', { name: 'Make reusable', exact: true }).click();
  await expect(dialog).toBeHidden();
}
