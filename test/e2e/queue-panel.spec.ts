/**
 * The queue panel with two clients on one engine: both runs show, the
 * running one and the one waiting behind it; the waiting one can be removed
 * and the running one cancelled; a finished run offers the file it wrote;
 * and a run's pipeline opens again in the editor.
 */
import { expect, test, type Page } from '@playwright/test';
import { freshSeed, openEditor, queueStatus, run, screenshot, waitForCanvasToSettle } from './editor-page.ts';

async function setParam(page: Page, name: string, value: string): Promise<void> {
  const field = page.getByRole('spinbutton', { name, exact: true });
  await field.fill(value);
  await field.blur();
  await expect(field).toHaveValue(value);
}

async function firstShotWith(page: Page, words: string, seconds: string): Promise<void> {
  await openEditor(page);
  await waitForCanvasToSettle(page, 4);
  await page.getByRole('textbox', { name: 'Prompt: text', exact: true }).fill(words);
  await setParam(page, 'Generate: duration', seconds);
}

test('the queue panel shows every client’s runs, removes and cancels them, and opens a run’s pipeline', async ({ page, browser }) => {
  // A quick run that finishes, with its file.
  await firstShotWith(page, `ocean at sunset, take ${freshSeed()}`, '1');
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded/, { timeout: 60_000 });

  // A long run here, and another client's run behind it.
  await setParam(page, 'Generate: duration', '40');
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: running/, { timeout: 30_000 });
  const other = await browser.newContext();
  const second = await other.newPage();
  const theirWords = `neon city at night, take ${freshSeed()}`;
  await firstShotWith(second, theirWords, '1');
  await run(second);
  await expect(queueStatus(second)).toHaveAccessibleName(/^queue: queued, 1 ahead/, { timeout: 30_000 });

  await page.getByRole('button', { name: 'Queue', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Queue' });
  const rows = panel.getByRole('list', { name: 'runs' }).getByRole('listitem');
  const running = rows.filter({ has: page.getByRole('status').filter({ hasText: /^running$/ }) });
  const waiting = rows.filter({ has: page.getByRole('status').filter({ hasText: /^waiting, 1 ahead$/ }) });
  await expect(running).toHaveCount(1);
  await expect(waiting).toHaveCount(1);
  const finished = rows.filter({ has: page.getByRole('status').filter({ hasText: /^succeeded in [\d.]+ s · \d+ ran, \d+ cached$/ }) }).first();
  await expect(finished.getByRole('link', { name: /^first-shot_\d+\.mp4$/ })).toBeVisible();
  await screenshot(page, 'queue-panel');

  await waiting.getByRole('button', { name: /^cancel / }).click();
  await expect(queueStatus(second)).toHaveAccessibleName(/^queue: cancelled/, { timeout: 30_000 });
  await running.getByRole('button', { name: /^cancel / }).click();
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: cancelled/, { timeout: 30_000 });

  // The other client's run, opened here: its prompt comes back.
  const theirs = rows.filter({ has: page.getByRole('status').filter({ hasText: /^cancelled/ }) }).first();
  await theirs.getByRole('button', { name: /^open / }).click();
  await expect(page.getByRole('textbox', { name: 'Prompt: text', exact: true })).toHaveValue(theirWords);
  await other.close();
});
