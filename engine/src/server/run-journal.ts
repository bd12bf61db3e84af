/**
 * The server's runs on disk, one JSON file each under `<data dir>/runs/`, so
 * the queue and its history outlive the process: what was waiting starts
 * again after a restart, in order, and finished runs (status, stats, each
 * node's last state and outputs) can still be looked at and re-attached to.
 * Files are written atomically at each change of phase, never per progress
 * step; a file that cannot be read is set aside with a warning, not fatal.
 */
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';
import type { NodeSnapshot, RunPhase } from '../protocol/protocol.ts';
import type { RunStats, RunStatus } from '../run/run-events.ts';

export interface RunRecord {
  /** Bumped when the record's shape changes. */
  format: 1;
  /** Order of acceptance, across restarts. */
  seq: number;
  id: string;
  /** The pipeline's name, for lists. */
  name: string;
  phase: RunPhase;
  submittedAt: string;
  startedAt?: string;
  finishedAt?: string;
  status?: RunStatus;
  stats?: RunStats;
  /** The validated document, with embedded asset data left out: it is in the asset store by then. */
  pipeline: unknown;
  targets?: string[];
  noCache: boolean;
  nodes: Record<string, NodeSnapshot>;
}

const RECORD_NAME = /^(\d{12})\.json$/;

export class RunJournal {
  /** Writes of one run, one after another, so an older state never lands after a newer one. */
  readonly #writes = new Map<number, Promise<void>>();

  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void,
  ) {}

  /** Every record, oldest first. */
  async load(): Promise<RunRecord[]> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const records: RunRecord[] = [];
    for (const name of names.filter((n) => RECORD_NAME.test(n)).sort()) {
      const file = path.join(this.dir, name);
      try {
        const record = JSON.parse(await readFile(file, 'utf8')) as RunRecord;
        if (record.format !== 1 || typeof record.id !== 'string' || typeof record.seq !== 'number') throw new Error('not a run record');
        records.push(record);
      } catch (error) {
        this.warn(`Set aside the run record ${name}, which cannot be read (${(error as Error).message}).`);
        await rename(file, `${file}.unreadable`).catch(() => undefined);
      }
    }
    return records;
  }

  save(record: RunRecord): Promise<void> {
    const text = JSON.stringify(record);
    const previous = this.#writes.get(record.seq) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        await mkdir(this.dir, { recursive: true });
        await writeFileAtomic(this.#fileOf(record.seq), [Buffer.from(text)]);
      })
      .catch((error: Error) => this.warn(`Could not save run "${record.id}" to the history: ${error.message}`));
    this.#writes.set(record.seq, next);
    void next.then(() => {
      if (this.#writes.get(record.seq) === next) this.#writes.delete(record.seq);
    });
    return next;
  }

  async remove(seq: number): Promise<void> {
    await (this.#writes.get(seq) ?? Promise.resolve());
    await rm(this.#fileOf(seq), { force: true });
  }

  /** Resolves once every write asked for so far is on disk. */
  async flush(): Promise<void> {
    await Promise.all(this.#writes.values());
  }

  #fileOf(seq: number): string {
    return path.join(this.dir, `${String(seq).padStart(12, '0')}.json`);
  }
}
