/**
 * The server's runs on disk, one JSON file each under `<data dir>/runs/`, so
 * the queue and its history outlive the process: what was waiting starts
 * again after a restart, in order, and finished runs (status, stats, each
 * node's last state and outputs) can still be looked at and re-attached to.
 * Files are written atomically at each change of phase, never per progress
 * step; a file that cannot be read is set aside with a warning, not fatal.
 */
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
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
const LOCK_NAME = 'engine.lock';

/** Another live engine keeps its queue in this data dir: two would run the same waiting runs. */
export class JournalLockedError extends Error {
  override name = 'JournalLockedError';
}

export class RunJournal {
  /** Writes of one run, one after another, so an older state never lands after a newer one. */
  readonly #writes = new Map<number, Promise<void>>();

  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * Claims the journal for this process (a lock file with its pid); a lock
   * left by a process that is gone is taken over. Throws JournalLockedError
   * while another live engine holds it.
   */
  async lock(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, LOCK_NAME);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(file, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new JournalLockedError(
          `Another Reelgraph engine (pid ${holder}) is serving this data dir (${path.dirname(this.dir)}); stop it first, or give this one its own --data-dir.`,
        );
      }
      await rm(file, { force: true });
    }
    throw new JournalLockedError(`Could not claim ${file}; another engine may be starting at the same moment.`);
  }

  async unlock(): Promise<void> {
    const file = path.join(this.dir, LOCK_NAME);
    if ((await readFile(file, 'utf8').catch(() => '')).trim() === String(process.pid)) await rm(file, { force: true });
  }

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

  /** Deletes a run's record; a failure is warned about, never thrown (the record is then only stale history). */
  async remove(seq: number): Promise<void> {
    await (this.#writes.get(seq) ?? Promise.resolve());
    await rm(this.#fileOf(seq), { force: true }).catch((error: Error) => this.warn(`Could not remove an old run record: ${error.message}`));
  }

  /** Resolves once every write asked for so far is on disk. */
  async flush(): Promise<void> {
    await Promise.all(this.#writes.values());
  }

  #fileOf(seq: number): string {
    return path.join(this.dir, `${String(seq).padStart(12, '0')}.json`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
