/**
 * The library of reusable graphs: a graph made reusable in one pipeline is
 * saved to the engine's library from its use's menu, inserted from the
 * palette into a new pipeline (a use with its ports and exposed param), and
 * still offered by the palette after a reload.
 */
import { expect, test } from '@playwright/test';
import { allNodes, canvas, makeShotReusable, newPipeline, node, openEditor, screenshot, waitForCanvasToSettle } from './editor-page.ts';

test('save a reusable graph to the library and insert it into a new pipeline', async ({ page }) => {
  test.setTimeout(120_000);
  await openEditor(page);
  await waitForCanvasToSettle(page, 4);

  // Prompt, camera and generator become the reusable graph "Film look", exposing the seed.
  await makeShotReusable(page, 'Film look');
  const use = node(page, 'Film look', 'film-look');
  await expect(use).toBeVisible();

  // Save it to the library from the use's menu.
  await use.locator('.rg-node-title').click({ button: 'right' });
  await page.getByRole('menu', { name: 'node menu' }).getByRole('menuitem', { name: 'Save to library' }).click();
  await expect(page.getByText('Saved “Film look” to the library.')).toBeVisible();

  // A new pipeline has no definitions, but the palette offers the library's graph.
  await newPipeline(page);
  const box = (await canvas(page).boundingBox())!;
  await page.mouse.dblclick(box.x + 400, box.y + 300);
  const palette = page.getByRole('dialog', { name: 'Add node' });
  const fromLibrary = palette.getByRole('group', { name: 'Reusable graphs' }).getByRole('option', { name: 'Film look (from the library)', exact: true });
  await expect(fromLibrary).toBeVisible();
  await fromLibrary.click();
  await expect(palette).toBeHidden();

  // A use of it, drawn from the copied definition: its output port and its exposed param.
  const inserted = node(page, 'Film look', 'film-look');
  await expect(inserted).toBeVisible();
  await expect(allNodes(page)).toHaveCount(1);
  await expect(inserted.getByLabel('output video', { exact: true })).toBeAttached();
  await expect(page.getByRole('spinbutton', { name: 'Film look: seed', exact: true })).toBeVisible();
  // The definition is now the document's too: the palette lists it as well as the library's entry.
  await page.mouse.dblclick(box.x + 900, box.y + 600);
  const group = palette.getByRole('group', { name: 'Reusable graphs' });
  await expect(group.getByRole('option', { name: 'Film look', exact: true })).toBeVisible();
  await expect(group.getByRole('option', { name: 'Film look (from the library)', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();

  // After a reload the library is still offered.
  // Once the tab's copy holds the use (and the definition it needs), a reload brings both back.
  const autosaved = () =>
    page.evaluate(() => {
      const { sessionStorage } = globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } };
      return sessionStorage.getItem('reelgraph.autosave.v1') ?? '';
    });
  await expect.poll(autosaved, { timeout: 10_000 }).toContain('graph:film-look');
  await page.reload();
  await expect(page.getByRole('status', { name: 'engine: connected', exact: true })).toBeVisible();
  await expect(node(page, 'Film look', 'film-look')).toBeVisible();
  await page.mouse.dblclick(box.x + 900, box.y + 600);
  await expect(palette.getByRole('option', { name: 'Film look (from the library)', exact: true })).toBeVisible();

  // Removed from the library (after a confirmation), it is offered no more, even after a reload; the pipeline keeps its copy.
  const remove = palette.getByRole('button', { name: 'remove Film look from the library', exact: true });
  await palette.getByRole('option', { name: 'Film look (from the library)', exact: true }).hover();
  await screenshot(page, 'library-palette');
  page.once('dialog', (dialog) => void dialog.dismiss());
  await remove.click();
  await expect(palette.getByRole('option', { name: 'Film look (from the library)', exact: true })).toBeVisible();
  let confirmation = '';
  page.once('dialog', (dialog) => {
    confirmation = dialog.message();
    void dialog.accept();
  });
  await remove.click();
  expect(confirmation).toBe('Remove “Film look” from the library? Pipelines that use it keep their own copy.');
  await expect(palette.getByRole('option', { name: 'Film look (from the library)', exact: true })).toHaveCount(0);
  await expect(palette.getByRole('option', { name: 'Film look', exact: true })).toBeVisible();
  await expect(palette).toBeVisible();
  await page.keyboard.press('Escape');
  await page.reload();
  await expect(page.getByRole('status', { name: 'engine: connected', exact: true })).toBeVisible();
  await expect(node(page, 'Film look', 'film-look')).toBeVisible();
  await page.mouse.dblclick(box.x + 900, box.y + 600);
  await expect(palette.getByRole('option', { name: 'Film look', exact: true })).toBeVisible();
  await expect(palette.getByRole('option', { name: 'Film look (from the library)', exact: true })).toHaveCount(0);
});
