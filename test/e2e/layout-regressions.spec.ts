/**
 * Two editor bugs these tests found, kept as regressions: a late auto-layout
 * landing on the next document, and a queued fit of an empty canvas moving
 * the first node added.
 */
import { expect, test, type Route } from '@playwright/test';
import { countWorkerReplies, waitForWorkerReply, workerReplies } from '../support/worker-replies.ts';
import { addNodeAt, node, newPipeline, savedDocument, waitForViewToSettle } from './editor-page.ts';

test('a layout that finishes after New does not move the new pipeline’s nodes', async ({ page }) => {
  // Hold the ELK worker's script back, so the first example's tidy layout is still pending when New is clicked (deterministically;
  // on a slow machine the worker's first start alone takes long enough).
  let releaseWorker: () => void = () => undefined;
  const workerHeld = new Promise<void>((resolve) => (releaseWorker = resolve));
  let workerRequested = false;
  let workerServed = false;
  await page.route('**/assets/elk-worker-*.js', async (route: Route) => {
    workerRequested = true;
    await workerHeld;
    await route.continue();
    workerServed = true;
  });

  await page.addInitScript(countWorkerReplies);
  await page.goto('/');
  await expect(page.getByRole('status', { name: 'engine: connected', exact: true })).toBeVisible();
  // The first example's nodes overlap at their real sizes, so opening it asks the worker for a layout.
  await expect.poll(() => workerRequested, { message: 'the first example was never laid out' }).toBe(true);
  await newPipeline(page);
  await addNodeAt(page, 'Prompt', 500, 150);
  await waitForViewToSettle(page);
  const before = await savedDocument(page);
  expect(before.nodes.map((added) => added.id)).toEqual(['prompt']);
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toHaveAttribute('title', /^Undo Add Prompt/);

  const repliesBefore = await workerReplies(page);
  releaseWorker();
  await expect.poll(() => workerServed).toBe(true);
  // The stale layout's answer arrives; whatever it would do, it does on receipt.
  await waitForWorkerReply(page, repliesBefore);
  expect(await page.getByRole('button', { name: 'Undo', exact: true }).getAttribute('title')).toMatch(/^Undo Add Prompt/);
  expect(await savedDocument(page)).toEqual(before);
});

test('the first node added to an empty canvas stays where it was put', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('status', { name: 'engine: connected', exact: true })).toBeVisible();
  await expect(node(page, 'Prompt', 'prompt')).toBeVisible();
  await newPipeline(page);
  const canvasBox = (await page.getByRole('application', { name: 'pipeline canvas' }).boundingBox())!;
  await addNodeAt(page, 'Prompt', 80, 60);
  await waitForViewToSettle(page);
  const box = (await node(page, 'Prompt', 'prompt').boundingBox())!;
  // The palette puts a node's top-left corner where the canvas was double-clicked.
  expect(Math.abs(box.x - (canvasBox.x + 80))).toBeLessThan(4);
  expect(Math.abs(box.y - (canvasBox.y + 60))).toBeLessThan(4);
});
