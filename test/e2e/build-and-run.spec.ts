/**
 * The first thing a person does: from an empty canvas, add a prompt, a camera
 * move, a generator and an export from the palette, wire them, run, watch the
 * result play; then change the prompt and run again, and only what depends on
 * the change runs (the prompt node itself among them: its output changed);
 * change only the generator, and only it and the export run. A wire between ports of different types is refused with a
 * sentence that says why.
 */
import { expect, test, type Locator } from '@playwright/test';
import {
  addShotNodes,
  allWires,
  drawWire,
  freshSeed,
  makeGenerateSmall,
  newPipeline,
  nodeStatus,
  openEditor,
  pixelSpread,
  queueStatus,
  run,
  screenshot,
  waitForCanvasToSettle,
  wire,
} from './editor-page.ts';

test('build a pipeline from the palette, run it, watch it, and re-run only what changed', async ({ page }) => {
  await openEditor(page);
  // The first example loads and is tidied (a layout in a worker) first; New after that, so its layout cannot land on ours.
  await waitForCanvasToSettle(page, 4);
  await newPipeline(page);

  const { prompt, camera, generate, exporter } = await addShotNodes(page);

  // A unique prompt and camera seed: the engine's cache outlives this spec, and the first run must really execute.
  const words = `a lighthouse in a storm, take ${freshSeed()}`;
  await page.getByRole('textbox', { name: 'Prompt: text', exact: true }).fill(words);
  await page.getByRole('spinbutton', { name: 'Camera move: seed', exact: true }).fill(freshSeed());
  await makeGenerateSmall(page);

  await drawWire(page, prompt.getByLabel('output prompt', { exact: true }), generate.getByLabel('input prompt', { exact: true }));
  await expect(wire(page, 'prompt.prompt', 'generate.prompt')).toHaveCount(1);
  await drawWire(page, camera.getByLabel('output camera', { exact: true }), generate.getByLabel('input camera', { exact: true }));
  await expect(wire(page, 'camera-move.camera', 'generate.camera')).toHaveCount(1);
  await drawWire(page, generate.getByLabel('output video', { exact: true }), exporter.getByLabel('input video', { exact: true }));
  await expect(wire(page, 'generate.video', 'export.video')).toHaveCount(1);

  // The wrong wire: a PROMPT into a VIDEO input. Refused, with the reason, and nothing is drawn.
  await drawWire(page, prompt.getByLabel('output prompt', { exact: true }), exporter.getByLabel('input video', { exact: true }));
  await expect(page.getByRole('log', { name: 'notices' }).getByRole('alert')).toContainText(
    'Not connected: "video" on "Export" takes VIDEO, but "prompt" gives PROMPT; wires join equal types only.',
  );
  await expect(wire(page, 'prompt.prompt', 'export.video')).toHaveCount(0);
  await expect(allWires(page)).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'problems: 0', exact: true })).toBeVisible();

  // First run: nothing is cached, so every node executes.
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded in [\d.]+ s · 4 ran, 0 cached$/, { timeout: 60_000 });
  for (const ran of [prompt, camera, generate, exporter]) await expect(nodeStatus(ran, 'done')).toBeVisible();

  // The result plays in the preview panel: muted and looping, so its clock moves on by itself.
  await exporter.getByRole('banner').click({ position: { x: 12, y: 10 } });
  const video = page.getByRole('complementary', { name: 'preview' }).getByLabel('Export result', { exact: true });
  await expect(video).toBeVisible();
  await expect.poll(() => playback(video)).toMatchObject({ readyState: 4, paused: false });
  const before = await playback(video);
  // The clip is 1 s and loops, so the clock may wrap; the count of frames shown only grows.
  await expect.poll(async () => (await playback(video)).framesShown, { message: 'the video shows no new frames' }).toBeGreaterThan(before.framesShown);
  await expect.poll(async () => (await playback(video)).currentTime).not.toBe(before.currentTime);
  await expect(exporter.getByLabel('Export preview', { exact: true })).toBeVisible();
  await screenshot(page, 'build-and-run-first-run');

  // Change the prompt: the prompt node, and what it feeds, run again; the camera move comes from the cache.
  await page.getByRole('textbox', { name: 'Prompt: text', exact: true }).fill(`${words}, at dawn`);
  await expect(nodeStatus(generate, 'done')).toBeVisible();
  await expect(generate.getByLabel('stale', { exact: true })).toBeVisible();
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded in [\d.]+ s · 3 ran, 1 cached$/, { timeout: 60_000 });
  for (const ran of [prompt, generate, exporter]) await expect(nodeStatus(ran, 'done')).toBeVisible();
  await expect(nodeStatus(camera, 'cached')).toBeVisible();
  await expect(generate.getByLabel('stale', { exact: true })).toHaveCount(0);

  // Change only the generator: it and the export run; both of its inputs show as cached.
  await page.getByRole('spinbutton', { name: 'Generate: seed', exact: true }).fill(freshSeed());
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded in [\d.]+ s · 2 ran, 2 cached$/, { timeout: 60_000 });
  for (const ran of [generate, exporter]) await expect(nodeStatus(ran, 'done')).toBeVisible();
  for (const kept of [prompt, camera]) await expect(nodeStatus(kept, 'cached')).toBeVisible();
  await screenshot(page, 'build-and-run-rerun');

  // Nothing changed: the export is served from the cache, and the nodes upstream of it show as cached too.
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded in [\d.]+ s · 0 ran, 4 cached$/);
  for (const kept of [prompt, camera, generate, exporter]) await expect(nodeStatus(kept, 'cached')).toBeVisible();

  // A reload brings the results back from the engine's cache without a run: badges and the shot's preview.
  await page.reload();
  await expect(page.getByRole('status', { name: 'engine: connected', exact: true })).toBeVisible();
  for (const kept of [prompt, camera, generate, exporter]) await expect(nodeStatus(kept, 'cached')).toBeVisible();
  await expect(queueStatus(page)).toHaveAccessibleName('queue: idle');
  const preview = generate.getByLabel('Generate preview', { exact: true });
  await expect(preview).toBeVisible();
  // A video shows its first frame once decoded, which software rendering on a busy machine may take a while to do.
  await expect.poll(() => pixelSpread(preview, 'reloaded-generate-preview'), { timeout: 20_000 }).toBeGreaterThan(10);
});

/** What a `<video>` is doing; `framesShown` counts every frame presented, across loops. */
function playback(video: Locator): Promise<{ currentTime: number; paused: boolean; readyState: number; framesShown: number }> {
  return video.evaluate((element) => {
    const media = element as unknown as { currentTime: number; paused: boolean; readyState: number; getVideoPlaybackQuality(): { totalVideoFrames: number } };
    return { currentTime: media.currentTime, paused: media.paused, readyState: media.readyState, framesShown: media.getVideoPlaybackQuality().totalVideoFrames };
  });
}
