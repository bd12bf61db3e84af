/**
 * Zoomed far out, nodes show only their titles and states, large (their
 * widgets are too small to use and costly to paint), and their results;
 * zoomed back in, everything is there again, and the graph never moved or
 * changed size in between.
 */
import { expect, test } from '@playwright/test';
import { allNodes, canvas, node, openEditor, pixelSpread, queueStatus, run, screenshot, waitForCanvasToSettle, waitForViewToSettle } from './editor-page.ts';

test('zoomed far out, nodes show their titles instead of their widgets', async ({ page }) => {
  await openEditor(page);
  await waitForCanvasToSettle(page, 4);
  const prompt = node(page, 'Prompt', 'prompt');
  const promptText = page.getByRole('textbox', { name: 'Prompt: text', exact: true });
  // The large title is a picture of the node for the eye only (aria-hidden: the node's own name already says it), so no role finds it.
  const glance = prompt.locator('.rg-node-glance');
  await expect(promptText).toBeVisible();
  await expect(glance).toBeHidden();
  // Layout sizes, before the canvas's zoom scales them.
  const sizes = () =>
    allNodes(page).evaluateAll((elements) =>
      (elements as unknown as { offsetWidth: number; offsetHeight: number; ariaLabel: string | null }[]).map((element) => [element.ariaLabel, element.offsetWidth, element.offsetHeight]),
    );
  const shapes = await sizes();
  // Each handle's centre within its node, in the node's own units (the zoom divided out): where wires end.
  const handleCentres = () =>
    allNodes(page).evaluateAll((elements) =>
      (elements as unknown as HandleHost[]).map((element) => {
        const box = element.getBoundingClientRect();
        const scale = box.width / element.offsetWidth;
        return [...element.querySelectorAll('.react-flow__handle')].map((handle) => {
          const own = handle.getBoundingClientRect();
          const at = (value: number) => Math.round(value / scale);
          return `${element.ariaLabel} ${handle.ariaLabel} ${at(own.left + own.width / 2 - box.left)},${at(own.top + own.height / 2 - box.top)}`;
        });
      }),
    );
  const handles = await handleCentres();
  expect(handles.flat()).toContain('Generate (shot) input prompt 1,61');
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded/, { timeout: 60_000 });
  const generatePreview = node(page, 'Generate', 'shot').getByLabel('Generate preview', { exact: true });
  await expect(generatePreview).toBeVisible();

  const zoomOut = canvas(page).getByRole('button', { name: 'Zoom Out', exact: true });
  for (let click = 0; click < 6; click++) await zoomOut.click();
  await waitForViewToSettle(page);
  await expect(promptText).toBeHidden();
  await expect(glance).toBeVisible();
  await expect(glance).toHaveText(/^Prompt(done|cached)$/);
  // Results stay in sight, above the node's tile (a flat colour there, were it on top): zoomed out, a storyboard reads as its shots.
  await expect(generatePreview).toBeVisible();
  await expect.poll(() => pixelSpread(generatePreview, 'zoomed-out-shot'), { timeout: 20_000 }).toBeGreaterThan(10);
  // Nodes keep their size and their handles' places, so wires and layout stay where they were.
  expect(await sizes()).toEqual(shapes);
  expect(await handleCentres()).toEqual(handles);
  await screenshot(page, 'zoomed-out');

  // Reached with the keyboard, a node shows its widgets again, so they can be reached too.
  // Focus goes to the node before it, then back by keyboard, so the node has keyboard focus (:focus-visible) as a Tab would give it.
  await prompt.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(prompt).toBeFocused();
  await expect(promptText).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(promptText).toBeFocused();
  await promptText.blur();
  await expect(promptText).toBeHidden();

  const zoomIn = canvas(page).getByRole('button', { name: 'Zoom In', exact: true });
  for (let click = 0; click < 6; click++) await zoomIn.click();
  await waitForViewToSettle(page);
  await expect(promptText).toBeVisible();
  await expect(glance).toBeHidden();
});

/** A node's element as the page sees it (the root tsconfig has no DOM library). */
interface HandleHost {
  ariaLabel: string | null;
  offsetWidth: number;
  getBoundingClientRect(): { left: number; top: number; width: number };
  querySelectorAll(selector: string): Iterable<{ ariaLabel: string | null; getBoundingClientRect(): { left: number; top: number; width: number; height: number } }>;
}
