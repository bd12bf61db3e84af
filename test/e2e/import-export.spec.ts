/**
 * Exports carry their pipeline: dropping an MP4 that Reelgraph exported onto
 * the canvas brings back the graph that made it.
 */
import { expect, test } from '@playwright/test';
import {
  allNodes,
  allWires,
  canvas,
  freshSeed,
  makeGenerateSmall,
  newPipeline,
  node,
  openEditor,
  queueStatus,
  run,
  savedDocument,
  screenshot,
  waitForCanvasToSettle,
} from './editor-page.ts';

test('dropping an exported MP4 on the canvas brings back its pipeline', async ({ page }) => {
  await openEditor(page);
  await waitForCanvasToSettle(page, 4);
  await makeGenerateSmall(page);
  await page.getByRole('spinbutton', { name: 'Generate: seed', exact: true }).fill(freshSeed());
  await page.getByRole('textbox', { name: 'pipeline name', exact: true }).fill('Dropped back');
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded /, { timeout: 60_000 });
  const ran = await savedDocument(page);

  // The exported file, fetched the way the preview panel's download link offers it.
  await node(page, 'Export', 'export').getByRole('banner').click({ position: { x: 12, y: 10 } });
  const link = page.getByRole('complementary', { name: 'preview' }).getByRole('link', { name: 'download file', exact: true });
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/media\/file\/[0-9a-f]{64}\/.+\.mp4$/);
  const response = await page.request.get(href!);
  expect(response.ok()).toBe(true);
  const mp4 = await response.body();
  expect(mp4.subarray(4, 8).toString('latin1')).toBe('ftyp');

  await newPipeline(page);
  await expect(allWires(page)).toHaveCount(0);

  // A drop from the desktop: a DataTransfer holding the file, dropped on the canvas.
  const dataTransfer = await page.evaluateHandle((base64) => {
    const browser = globalThis as unknown as {
      atob(text: string): string;
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
    };
    const binary = browser.atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const transfer = new browser.DataTransfer();
    transfer.items.add(new browser.File([bytes], 'dropped-shot.mp4', { type: 'video/mp4' }));
    return transfer;
  }, mp4.toString('base64'));
  const box = (await canvas(page).boundingBox())!;
  const at = { clientX: box.x + box.width / 2, clientY: box.y + box.height / 2 };
  await canvas(page).dispatchEvent('dragover', { dataTransfer, ...at });
  await canvas(page).dispatchEvent('drop', { dataTransfer, ...at });

  await expect(page.getByRole('log', { name: 'notices' })).toContainText('Opened the pipeline embedded in dropped-shot.mp4.');
  await waitForCanvasToSettle(page, ran.nodes.length);
  await expect(page.getByRole('textbox', { name: 'pipeline name', exact: true })).toHaveValue('Dropped back');
  await expect(allNodes(page)).toHaveCount(4);
  await expect(allWires(page)).toHaveCount(ran.edges.length);
  await screenshot(page, 'import-dropped-mp4');
  expect(await savedDocument(page)).toEqual(ran);
});
