/**
 * The editor in a real browser (Chromium through Playwright) against the
 * real engine server in this process, serving the built editor:
 *
 * - opening a 500-node pipeline (Open → every node rendered and measured),
 *   against opening a 10-node one the same way: the ratio over 50 is the
 *   per-node scaling (1.0 = linear);
 * - frame times while panning the canvas and while dragging a node of the
 *   500-node pipeline: one pointer move per animation frame, against the same
 *   moves over the status bar (nothing listens there) on the same page, i.e.
 *   the page idle with the same input traffic. The ratio is the mean frame
 *   time against idle; the detail has median and 95th percentile of the
 *   requestAnimationFrame deltas of both;
 * - ELK auto-layout of 100 and 500 nodes (toolbar button → ELK in the worker
 *   → positions applied and painted), against the same for 10 nodes: ELK
 *   layered is not linear, and the detail says how it scales per node.
 *
 * Chromium runs software-rendered (`--disable-gpu`), as on a CI machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { Catalog, Engine, PIPELINE_FORMAT, PIPELINE_VERSION, startServer, type RunningServer } from '@reelgraph/engine';
import { builtinNodes } from '@reelgraph/nodes';
import { REPO_ROOT } from '../support/run-cli.ts';
import { countWorkerReplies, waitForWorkerReply, workerReplies } from '../support/worker-replies.ts';
import { median, type BenchCase } from './bench-harness.ts';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((file) => existsSync(file));
const VIEWPORT = { width: 1600, height: 1000 };
/**
 * Pointer moves per gesture. Chromium hands pointer moves to the page once
 * per animation frame, so each move waits for a frame: the gesture's time is
 * about this many frame times.
 */
const GESTURE_STEPS = 40;

// The pipelines ---------------------------------------------------------------

type Node = { id: string; type: string; params: Record<string, unknown>; ui: { x: number; y: number } };
type Edge = { from: { node: string; port: string }; to: { node: string; port: string } };

/** Grid cell, larger than any of these nodes at their real size, so opening never triggers the tidy layout. */
const CELL = { width: 340, height: 520 };
const CHAINS_PER_ROW = 5;

/**
 * `count` nodes: chains of prompt + camera move → generate → export (the
 * first-shot pipeline), laid out on a grid, then lone prompts for the rest.
 * Ids start with `prefix`, so every open mounts fresh nodes.
 */
function shotPipeline(count: number, prefix: string) {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const at = (slot: number) => {
    const chain = Math.floor(slot / 4);
    const column = (chain % CHAINS_PER_ROW) * 4 + (slot % 4);
    return { x: column * CELL.width, y: Math.floor(chain / CHAINS_PER_ROW) * CELL.height };
  };
  const wire = (from: string, fromPort: string, to: string, toPort: string) => edges.push({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
  const chains = Math.floor(count / 4);
  for (let c = 0; c < chains; c++) {
    const id = (name: string) => `${prefix}${name}-${c}`;
    nodes.push(
      { id: id('prompt'), type: 'prompt', params: { text: `a lighthouse at dusk, take ${c}` }, ui: at(c * 4) },
      { id: id('camera'), type: 'camera-move', params: { preset: c % 2 === 0 ? 'push-in' : 'orbit-left', intensity: (c % 10) / 10 }, ui: at(c * 4 + 1) },
      { id: id('shot'), type: 'generate', params: { model: 'reelgraph/procedural-field', width: 512, height: 288, duration: 2, fps: 24, seed: c }, ui: at(c * 4 + 2) },
      { id: id('export'), type: 'export', params: { format: 'mp4', filename: `shot-${c}` }, ui: at(c * 4 + 3) },
    );
    wire(id('prompt'), 'prompt', id('shot'), 'prompt');
    wire(id('camera'), 'camera', id('shot'), 'camera');
    wire(id('shot'), 'video', id('export'), 'video');
  }
  for (let slot = chains * 4; slot < count; slot++) {
    nodes.push({ id: `${prefix}note-${slot}`, type: 'prompt', params: { text: `a note, take ${slot}` }, ui: at(slot) });
  }
  return { format: PIPELINE_FORMAT, version: PIPELINE_VERSION, name: `${count} nodes`, nodes, edges };
}

// The browser and the engine ------------------------------------------------

let built = false;

/** The benchmarks measure the editor as `pnpm start` serves it: build it first if its sources changed. */
function buildEditor(): void {
  if (built) return;
  execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'editor/scripts/build-if-needed.ts')], { cwd: REPO_ROOT, stdio: 'ignore' });
  built = true;
}

/** An engine server on an ephemeral port serving the built editor, a Chromium, and a scratch folder for files to open. */
class EditorBench {
  private constructor(
    readonly browser: Browser,
    readonly server: RunningServer,
    readonly dir: string,
  ) {}

  static async start(): Promise<EditorBench> {
    buildEditor();
    const dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-bench-editor-'));
    const engine = new Engine({ catalog: new Catalog(builtinNodes), dataDir: path.join(dir, 'data'), warn: () => undefined });
    const server = await startServer({
      engine,
      port: 0,
      editorDir: path.join(REPO_ROOT, 'editor/dist'),
      examplesDir: path.join(REPO_ROOT, 'examples'),
      log: () => undefined,
    });
    const browser = await chromium.launch({ ...(SYSTEM_CHROMIUM ? { executablePath: SYSTEM_CHROMIUM } : {}), args: ['--no-sandbox', '--disable-gpu'] });
    return new EditorBench(browser, server, dir);
  }

  /** A fresh tab with the editor connected and its first pipeline shown; `init` runs in the page before the editor's code. */
  async page(init?: () => void): Promise<Page> {
    const context = await this.browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    // tsx (esbuild, keepNames) wraps named inner functions in `__name(…)`; functions sent to the page need the helper there.
    await page.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
    if (init) await page.addInitScript(init);
    await page.goto(this.server.url);
    await page.getByRole('status', { name: 'engine: connected', exact: true }).waitFor();
    await page.getByRole('group', { name: /\(prompt\)$/ }).waitFor();
    return page;
  }

  /** Writes a pipeline of `count` nodes with fresh ids, ready to open. */
  async pipelineFile(count: number, prefix: string): Promise<string> {
    const file = path.join(this.dir, `${prefix}${count}.reel.json`);
    await writeFile(file, JSON.stringify(shotPipeline(count, prefix)));
    return file;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Opens a file through the toolbar's file input and resolves once every node with the prefix is rendered at its measured size. */
async function openAndWait(page: Page, file: string, prefix: string, count: number): Promise<void> {
  await page.getByLabel('open pipeline file', { exact: true }).setInputFiles(file);
  await page.waitForFunction(
    ({ prefix, count }) => {
      const { document } = globalThis as unknown as BrowserGlobals;
      const nodes = [...document.querySelectorAll('.react-flow__node')];
      // React Flow keeps a node hidden until it has measured it.
      return nodes.length === count && nodes.every((node) => node.style.visibility === 'visible' && (node.getAttribute('aria-label') ?? '').includes(`(${prefix}`));
    },
    { prefix, count },
    { polling: 'raf', timeout: 120_000 },
  );
}

/** Types for code that runs in the page (the root tsconfig has no DOM library). */
interface BrowserElement {
  style: { visibility: string };
  classList: { contains(name: string): boolean };
  closest(selector: string): BrowserElement | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  querySelector(selector: string): BrowserElement | null;
}
interface BrowserGlobals {
  document: { querySelectorAll(selector: string): Iterable<BrowserElement>; querySelector(selector: string): BrowserElement | null; elementFromPoint(x: number, y: number): BrowserElement | null };
  requestAnimationFrame(callback: (time: number) => void): number;
  __frames?: { recording: boolean; deltas: number[] };
}

// Opening -------------------------------------------------------------------

export function openPipelineCase(count = 500, baselineCount = 10): BenchCase {
  let bench: EditorBench;
  let subjectPage: Page;
  let baselinePage: Page;
  const files: { subject: string[]; baseline: string[] } = { subject: [], baseline: [] };
  let round = { subject: 0, baseline: 0 };
  const runs = 5;
  return {
    name: `open a ${count}-node pipeline`,
    baselineName: `open a ${baselineCount}-node one`,
    runs,
    async setup() {
      bench = await EditorBench.start();
      // Each side opens into its own tab, replacing a pipeline of its own size: the previous open's.
      subjectPage = await bench.page();
      baselinePage = await bench.page();
      for (let i = 0; i <= runs; i++) {
        files.subject.push(await bench.pipelineFile(count, `s${i}-`));
        files.baseline.push(await bench.pipelineFile(baselineCount, `b${i}-`));
      }
      round = { subject: 0, baseline: 0 };
    },
    async teardown() {
      await bench.close();
    },
    async subject() {
      const i = round.subject++;
      await openAndWait(subjectPage, files.subject[i]!, `s${i}-`, count);
    },
    async baseline() {
      const i = round.baseline++;
      await openAndWait(baselinePage, files.baseline[i]!, `b${i}-`, baselineCount);
    },
    detail: (ms, baselineMs) =>
      `${(ms / count).toFixed(2)} ms/node vs ${(baselineMs / baselineCount).toFixed(2)} ms/node; ${(ms / baselineMs / (count / baselineCount)).toFixed(2)}× linear`,
  };
}

// Frame times -----------------------------------------------------------------

/** Records requestAnimationFrame deltas in the page from `start` until `stop`. */
async function startFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const browser = globalThis as unknown as BrowserGlobals;
    const frames = { recording: true, deltas: [] as number[] };
    browser.__frames = frames;
    let last: number | undefined;
    const tick = (time: number) => {
      if (last !== undefined) frames.deltas.push(time - last);
      last = time;
      if (frames.recording) browser.requestAnimationFrame(tick);
    };
    browser.requestAnimationFrame(tick);
  });
}

async function stopFrames(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const frames = (globalThis as unknown as BrowserGlobals).__frames!;
    frames.recording = false;
    return frames.deltas;
  });
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const frameSummary = (deltas: readonly number[]) => `median ${median(deltas).toFixed(1)} ms, p95 ${percentile(deltas, 95).toFixed(1)} ms`;

/**
 * Pointer moves by (dx, dy) and back, so the gesture ends where it began and
 * the pipeline is unchanged: no autosave or validation follows into the next
 * measurement.
 */
async function gesture(page: Page, from: { x: number; y: number }, dx: number, dy: number, press: boolean): Promise<void> {
  await page.mouse.move(from.x, from.y);
  if (press) await page.mouse.down();
  const half = GESTURE_STEPS / 2;
  for (let step = 1; step <= GESTURE_STEPS; step++) {
    const t = step <= half ? step / half : (GESTURE_STEPS - step) / half;
    await page.mouse.move(from.x + dx * t, from.y + dy * t);
  }
  if (press) await page.mouse.up();
}

/** A point where `test` holds for the element under it, searched on a grid over the box. */
async function findPoint(page: Page, box: { x: number; y: number; width: number; height: number }, kind: 'pane' | 'node body'): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(
    ({ box, kind }) => {
      const { document } = globalThis as unknown as BrowserGlobals;
      const middle = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      const candidates: { x: number; y: number }[] = [];
      for (let gx = 0.05; gx < 1; gx += 0.05) for (let gy = 0.1; gy < 0.9; gy += 0.05) candidates.push({ x: box.x + box.width * gx, y: box.y + box.height * gy });
      // Nearest the middle first: a drag there stays on screen both ways.
      candidates.sort((a, b) => Math.hypot(a.x - middle.x, a.y - middle.y) - Math.hypot(b.x - middle.x, b.y - middle.y));
      return candidates.find(({ x, y }) => {
        const element = document.elementFromPoint(x, y);
        if (!element) return false;
        if (kind === 'pane') return element.classList.contains('react-flow__pane');
        // Part of a node, not a widget (widgets are `nodrag`); zoomed far out, only the node's box is there to grab.
        return element.closest('.react-flow__node') !== null && element.closest('.nodrag') === null && !element.classList.contains('react-flow__handle');
      });
    },
    { box, kind },
  );
  if (!point) throw new Error(`no ${kind} to grab on the canvas`);
  return point;
}

function frameCase(kind: 'pan' | 'drag', count = 500): BenchCase {
  let bench: EditorBench;
  let page: Page;
  let start = { x: 0, y: 0 };
  let idleStart = { x: 0, y: 0 };
  const moving: number[] = [];
  const idle: number[] = [];
  // The harness's first, untimed round warms the JIT and caches; its frames are left out of the detail too.
  let calls = { subject: 0, baseline: 0 };
  return {
    name: kind === 'pan' ? `pan the canvas, ${count} nodes (${GESTURE_STEPS} frames)` : `drag a node among ${count} (${GESTURE_STEPS} frames)`,
    baselineName: 'same moves over the idle status bar',
    runs: 3,
    async setup() {
      bench = await EditorBench.start();
      page = await bench.page();
      await openAndWait(page, await bench.pipelineFile(count, 'f-'), 'f-', count);
      // Let the fit-view animation and the engine's validation of the opened pipeline finish.
      await page.waitForTimeout(1500);
      const canvasBox = (await page.getByRole('application', { name: 'pipeline canvas' }).boundingBox())!;
      start = await findPoint(page, canvasBox, kind === 'pan' ? 'pane' : 'node body');
      const bar = (await page.getByRole('contentinfo').boundingBox())!;
      idleStart = { x: bar.x + bar.width / 2, y: bar.y + bar.height / 2 };
      moving.length = 0;
      idle.length = 0;
      calls = { subject: 0, baseline: 0 };
    },
    async teardown() {
      await bench.close();
    },
    async subject() {
      await startFrames(page);
      await gesture(page, start, kind === 'pan' ? 300 : 160, kind === 'pan' ? 120 : 80, true);
      const deltas = await stopFrames(page);
      if (calls.subject++ > 0) moving.push(...deltas);
    },
    async baseline() {
      await startFrames(page);
      // Sideways along the status bar: the same number of moves and frames, over nothing that reacts.
      await gesture(page, idleStart, 300, 0, false);
      const deltas = await stopFrames(page);
      if (calls.baseline++ > 0) idle.push(...deltas);
    },
    detail: () => `frames ${frameSummary(moving)}; idle ${frameSummary(idle)}`,
  };
}

export const panFramesCase = (count = 500) => frameCase('pan', count);
export const dragFramesCase = (count = 500) => frameCase('drag', count);

// Auto-layout -----------------------------------------------------------------

/** Clicks Auto-layout; resolves on the first frame after ELK's answer is applied (the worker's reply, then one frame to paint). */
async function layoutAndWait(page: Page): Promise<void> {
  const before = await workerReplies(page);
  await page.getByRole('button', { name: 'Auto-layout', exact: true }).click();
  await waitForWorkerReply(page, before);
}

export function layoutCase(count: number, baselineCount = 10): BenchCase {
  let bench: EditorBench;
  let subjectPage: Page;
  let baselinePage: Page;
  return {
    name: `auto-layout ${count} nodes (ELK)`,
    baselineName: `auto-layout ${baselineCount} nodes`,
    runs: 5,
    async setup() {
      bench = await EditorBench.start();
      subjectPage = await bench.page(countWorkerReplies);
      baselinePage = await bench.page(countWorkerReplies);
      await openAndWait(subjectPage, await bench.pipelineFile(count, 'l-'), 'l-', count);
      await openAndWait(baselinePage, await bench.pipelineFile(baselineCount, 'l-'), 'l-', baselineCount);
      // The harness's untimed first round moves every node from the grid to ELK's places; the timed rounds lay out the
      // same graph again: all of ELK's work and the round trip to the worker, with nothing left to move.
    },
    async teardown() {
      await bench.close();
    },
    subject: () => layoutAndWait(subjectPage),
    baseline: () => layoutAndWait(baselinePage),
    detail: (ms, baselineMs) =>
      // The 10-node time is mostly fixed cost (the click, the worker round trip, a frame); what each further node adds is ELK's.
      `${((ms - baselineMs) / (count - baselineCount)).toFixed(2)} ms per node beyond ${baselineCount}; ${(ms / count).toFixed(2)} ms/node overall`,
  };
}
