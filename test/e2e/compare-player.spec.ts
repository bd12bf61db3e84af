/**
 * Comparing two variants (issue 12): two generators render endings of
 * different lengths; selecting both offers "Compare outputs", which plays
 * them on one timeline. Seeking and stepping put both videos on the same
 * frame (the shorter one holds its last), playing keeps them together, and in
 * wipe mode the divider follows the mouse and the keys.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { freshSeed, node, openEditor, queueStatus, run, screenshot, waitForCanvasToSettle } from './editor-page.ts';

const FPS = 12;

function endings(): string {
  const generate = (id: string, title: string, duration: number, y: number) => ({
    id,
    type: 'generate',
    title,
    params: { model: 'reelgraph/procedural-field', width: 256, height: 144, duration, fps: FPS, seed: Number(freshSeed()) },
    ui: { x: 340, y },
  });
  return JSON.stringify({
    format: 'reelgraph.pipeline',
    version: 1,
    name: 'Alternate endings',
    nodes: [
      { id: 'prompt', type: 'prompt', params: { text: `a lighthouse at dusk, take ${freshSeed()}` }, ui: { x: 0, y: 120 } },
      generate('ending-a', 'Ending A', 1, 0),
      generate('ending-b', 'Ending B', 2, 320),
    ],
    edges: [
      { from: { node: 'prompt', port: 'prompt' }, to: { node: 'ending-a', port: 'prompt' } },
      { from: { node: 'prompt', port: 'prompt' }, to: { node: 'ending-b', port: 'prompt' } },
    ],
  });
}

/** The frame a video shows at a time: a video at its very end (Chrome may report a seek into the last frame so) shows its last. */
function shownFrame(time: number, duration: number): number {
  return Math.min(Math.floor(time * FPS), Math.round(duration * FPS) - 1);
}

/** The frame each video shows. */
async function frames(page: Page): Promise<[number, number]> {
  const dialog = page.getByRole('dialog', { name: 'Compare outputs' });
  const read = (video: Locator) =>
    video.evaluate((element) => {
      const media = element as unknown as { currentTime: number; duration: number };
      return [media.currentTime, media.duration] as const;
    });
  const a = await read(dialog.getByLabel('A: Ending A', { exact: true }));
  const b = await read(dialog.getByLabel('B: Ending B', { exact: true }));
  return [shownFrame(...a), shownFrame(...b)];
}

test('compare two rendered endings frame by frame, side by side and wiped', async ({ page }) => {
  await openEditor(page);
  await waitForCanvasToSettle(page, 4);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open', exact: true }).click()]);
  await chooser.setFiles({ name: 'endings.reel.json', mimeType: 'application/json', buffer: Buffer.from(endings()) });
  await waitForCanvasToSettle(page, 3);
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded /, { timeout: 60_000 });

  const a = node(page, 'Ending A', 'ending-a');
  const b = node(page, 'Ending B', 'ending-b');
  const prompt = node(page, 'Prompt', 'prompt');
  const nodeMenu = page.getByRole('menu', { name: 'node menu' });

  // A prompt has no video: the item is there for two nodes, but says why it cannot be used.
  await prompt.locator('.rg-node-title').click();
  await a.locator('.rg-node-title').click({ modifiers: ['Shift'] });
  await a.locator('.rg-node-title').click({ button: 'right' });
  const refused = nodeMenu.getByRole('menuitem', { name: /^Compare outputs/ });
  await expect(refused).toHaveAttribute('aria-disabled', 'true');
  await expect(refused).toHaveAttribute('title', '"Prompt" has no rendered video yet; run it first.');
  await page.keyboard.press('Escape');

  // Both endings selected (a click on a node outside the selection starts a new one): Compare outputs opens the player, A first as on the canvas.
  await b.locator('.rg-node-title').click();
  await a.locator('.rg-node-title').click({ modifiers: ['Shift'] });
  await expect(page.locator('.rg-node.rg-selected')).toHaveCount(2);
  await b.locator('.rg-node-title').click({ button: 'right' });
  await nodeMenu.getByRole('menuitem', { name: /^Compare outputs/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Compare outputs' });
  await expect(dialog).toBeVisible();
  for (const label of ['A: Ending A', 'B: Ending B']) {
    await expect
      .poll(() => dialog.getByLabel(label, { exact: true }).evaluate((element) => (element as unknown as { readyState: number }).readyState))
      .toBeGreaterThanOrEqual(2);
  }

  // One timeline as long as the longer ending: 24 frames at 12 fps.
  const scrubber = dialog.getByRole('slider', { name: 'frame', exact: true });
  const current = dialog.getByLabel('current frame', { exact: true });
  await scrubber.fill('5');
  await expect(current).toHaveText(/^6\/24 /);
  await expect.poll(() => frames(page)).toEqual([5, 5]);
  await dialog.getByRole('button', { name: 'next frame', exact: true }).click();
  await expect(current).toHaveText(/^7\/24 /);
  await expect.poll(() => frames(page)).toEqual([6, 6]);
  await dialog.getByRole('button', { name: 'previous frame', exact: true }).click();
  await dialog.getByRole('button', { name: 'previous frame', exact: true }).click();
  await expect.poll(() => frames(page)).toEqual([4, 4]);

  // Past the shorter ending's end, it holds its last frame (frame 12 of 12) while the longer goes on.
  await scrubber.fill('20');
  await expect.poll(() => frames(page)).toEqual([11, 20]);
  await expect(dialog.getByText('· last frame')).toBeVisible();

  // Playing from the start keeps them together: read in one moment in the page, while both run, and again once A has ended.
  await scrubber.fill('0');
  await dialog.getByRole('button', { name: 'play', exact: true }).click();
  const atTimes = (after: number) =>
    page.evaluate(async (seconds) => {
      type Media = { currentTime: number; paused: boolean; duration: number };
      const browser = globalThis as unknown as { document: { querySelectorAll(selector: string): ArrayLike<Media> } };
      const videos = Array.from(browser.document.querySelectorAll('.rg-compare video'));
      for (const deadline = Date.now() + 10_000; videos[1]!.currentTime < seconds && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
      return { a: videos[0]!.currentTime, b: videos[1]!.currentTime, aPaused: videos[0]!.paused, aDuration: videos[0]!.duration };
    }, after);
  const together = await atTimes(0.4);
  expect(together.b).toBeGreaterThanOrEqual(0.4);
  expect(together.b).toBeLessThan(0.9);
  expect(Math.abs(together.a - together.b)).toBeLessThanOrEqual(2 / FPS);
  const later = await atTimes(1.3);
  expect(later.aPaused).toBe(true);
  expect(shownFrame(later.a, later.aDuration), JSON.stringify(later)).toBe(FPS - 1);
  await dialog.getByRole('button', { name: 'pause', exact: true }).click();
  // Pausing lands both on the timeline's frame (A on its last, being over).
  const [pausedA, pausedB] = await frames(page);
  expect(pausedA).toBe(Math.min(pausedB, FPS - 1));
  await expect(current).toHaveText(new RegExp(`^${pausedB + 1}/24 `));

  // Wipe: the same frame stays on show, and the divider follows the mouse and the keys.
  await scrubber.fill('8');
  await dialog.getByRole('radio', { name: 'wipe', exact: true }).click();
  await expect(dialog.getByRole('radio', { name: 'wipe', exact: true })).toHaveAttribute('aria-checked', 'true');
  await expect.poll(() => frames(page)).toEqual([8, 8]);
  const divider = dialog.getByRole('slider', { name: 'wipe divider', exact: true });
  await expect(divider).toHaveAttribute('aria-valuenow', '50');
  const stage = (await dialog.locator('.rg-compare-stage').boundingBox())!;
  const grip = (await divider.boundingBox())!;
  await page.mouse.move(grip.x + grip.width / 2, stage.y + stage.height / 2);
  await page.mouse.down();
  await page.mouse.move(stage.x + stage.width * 0.25, stage.y + stage.height / 2, { steps: 10 });
  await page.mouse.up();
  await expect(divider).toHaveAttribute('aria-valuenow', '25');
  const clip = () => dialog.locator('.rg-compare-b').evaluate((element) => (element as unknown as { style: { clipPath: string } }).style.clipPath);
  expect(await clip()).toBe('inset(0px 0px 0px 25%)');
  const dividerLeft = (await divider.boundingBox())!.x;
  expect(Math.abs(dividerLeft - (stage.x + stage.width * 0.25))).toBeLessThan(4);

  await divider.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(divider).toHaveAttribute('aria-valuenow', '27');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(divider).toHaveAttribute('aria-valuenow', '37');
  await page.keyboard.press('End');
  await expect(divider).toHaveAttribute('aria-valuenow', '100');
  await page.keyboard.press('Home');
  await expect(divider).toHaveAttribute('aria-valuenow', '0');
  // The keys moved the divider, not the frame.
  await expect(current).toHaveText(/^9\/24 /);

  for (let i = 0; i < 5; i++) await page.keyboard.press('PageUp');
  await expect(divider).toHaveAttribute('aria-valuenow', '50');
  await screenshot(page, 'compare-wipe');

  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});
