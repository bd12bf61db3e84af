/**
 * A Stable Diffusion model in the browser: pulled through the Models panel
 * from a real HTTP server (a tiny export with the real signatures), picked in
 * a generate node, which then shows the diffusion-only settings (hidden for
 * the built-in model), and run.
 */
import { expect, test } from '@playwright/test';
import { startModelServer, type ModelServer } from '../support/model-server.ts';
import { freshSeed, makeGenerateSmall, node, nodeStatus, openEditor, openExample, queueStatus, run, screenshot } from './editor-page.ts';

let models: ModelServer;
test.beforeAll(async () => {
  models = await startModelServer();
});
test.afterAll(() => models.close());

const DIFFUSION_PARAMS = ['steps', 'guidance', 'sampler', 'denoise'];

test('a pulled diffusion model shows its own settings in generate, and runs', async ({ page }) => {
  await openEditor(page);
  const id = `e2e/tiny-turbo-${Date.now().toString(36)}`;
  await page.getByRole('button', { name: 'Models', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Models' });
  await panel.getByRole('textbox', { name: 'model to pull' }).fill(models.diffusionManifestUrl(id));
  await panel.getByRole('button', { name: 'Pull' }).click();
  await expect(panel.getByRole('list', { name: 'pulls' }).getByRole('status')).toHaveText(`Pulled ${id}.`);
  await expect(panel.getByRole('list', { name: 'models' }).getByRole('listitem', { name: id })).toContainText('diffusion · text-to-video, image-to-video, inpaint');
  await panel.getByRole('button', { name: 'close models' }).click();

  await openExample(page, 'First shot');
  const generate = node(page, 'Generate', 'shot');
  // The built-in model has no steps or guidance: those settings are not shown.
  for (const name of DIFFUSION_PARAMS) await expect(generate.getByLabel(`Generate: ${name}`, { exact: true })).toHaveCount(0);
  await generate.getByRole('combobox', { name: 'Generate: model', exact: true }).selectOption(id);
  await expect(generate.getByRole('spinbutton', { name: 'Generate: steps', exact: true })).toHaveValue('0');
  await expect(generate.getByRole('spinbutton', { name: 'Generate: guidance', exact: true })).toBeVisible();
  await expect(generate.getByRole('combobox', { name: 'Generate: sampler', exact: true })).toHaveValue('model default');
  await expect(generate.getByRole('spinbutton', { name: 'Generate: denoise', exact: true })).toHaveValue('0.35');

  await makeGenerateSmall(page);
  const seed = generate.getByRole('spinbutton', { name: 'Generate: seed', exact: true });
  await seed.fill(freshSeed());
  await seed.blur();
  await run(page);
  await expect(queueStatus(page)).toHaveAccessibleName(/^queue: succeeded/, { timeout: 80_000 });
  await expect(nodeStatus(generate, 'done')).toBeVisible();
  await expect(generate.getByLabel('Generate preview', { exact: true })).toBeVisible();
  await screenshot(page, 'diffusion-generate');

  // Back to the built-in model: the settings hide again.
  await generate.getByRole('combobox', { name: 'Generate: model', exact: true }).selectOption('reelgraph/procedural-field');
  for (const name of DIFFUSION_PARAMS) await expect(generate.getByLabel(`Generate: ${name}`, { exact: true })).toHaveCount(0);
});
