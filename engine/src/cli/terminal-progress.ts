/**
 * The run display for a person at a terminal: one line per node state change,
 * and on a TTY a progress bar redrawn in place while a node works.
 */
import type { PipelineDocument } from '../pipeline/pipeline-document.ts';
import type { RunEvent } from '../run/run-events.ts';

const BAR_WIDTH = 24;

export class TerminalProgress {
  #titles = new Map<string, string>();
  #barShown = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  start(document: PipelineDocument, dataDir: string, device: string | undefined): void {
    for (const node of document.nodes) this.#titles.set(node.id, node.title ? `${node.id} (${node.title})` : `${node.id} [${node.type}]`);
    this.#line(`Running "${document.name}" — data dir ${dataDir}`);
    if (device) this.#line(`Device: ${device}`);
  }

  update(event: RunEvent): void {
    switch (event.type) {
      case 'node.status':
        if (event.state === 'queued') return;
        this.#line(`${symbol(event.state)} ${this.#title(event.nodeId)} ${event.state}${event.worker ? ` on ${event.worker}` : ''}${event.error ? `: ${event.error}` : ''}`);
        return;
      case 'node.progress':
        if (!this.out.isTTY) return;
        this.#bar(`  ${this.#title(event.nodeId)} ${renderBar(event.done, event.total)} ${Math.floor(event.done)}/${event.total}`);
        return;
      case 'node.output': {
        const details = Object.entries(event.outputs)
          .map(([port, value]) => `${port}: ${describe(value)}`)
          .join(', ');
        this.#line(`    ${details}`);
        return;
      }
      case 'run.finished': {
        const { executed, cached, ms } = event.stats;
        this.#line(`Run ${event.status}: ${executed} executed, ${cached} cached, ${(ms / 1000).toFixed(2)} s`);
        return;
      }
    }
  }

  note(text: string): void {
    if (text) this.#line(text);
  }

  #title(id: string): string {
    return this.#titles.get(id) ?? id;
  }

  #bar(text: string): void {
    this.out.write(`\r\x1b[2K${text}`);
    this.#barShown = true;
  }

  #line(text: string): void {
    if (this.#barShown) this.out.write('\r\x1b[2K');
    this.#barShown = false;
    this.out.write(`${text}\n`);
  }
}

export function renderBar(done: number, total: number): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * BAR_WIDTH) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}

function symbol(state: string): string {
  return { cached: '=', running: '>', done: '✓', error: '✗', cancelled: '-', skipped: '·' }[state] ?? ' ';
}

function describe(value: Record<string, unknown>): string {
  switch (value.kind) {
    case 'video':
      return `video ${value.width}×${value.height}, ${value.frameCount} frames at ${value.fps} fps`;
    case 'image':
      return `image ${value.width}×${value.height}`;
    case 'file':
      return `${value.path} (${value.bytes} bytes)`;
    default:
      return String(value.kind);
  }
}
