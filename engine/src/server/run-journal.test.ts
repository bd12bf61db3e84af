import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunJournal, type RunRecord } from './run-journal.ts';

let dir: string;
let warnings: string[];
let journal: RunJournal;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-journal-'));
  warnings = [];
  journal = new RunJournal(path.join(dir, 'runs'), (message) => warnings.push(message));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (seq: number, phase: RunRecord['phase']): RunRecord => ({
  format: 1,
  seq,
  id: `run-${seq}`,
  name: 'test',
  phase,
  submittedAt: new Date(0).toISOString(),
  pipeline: { format: 'reelgraph.pipeline', version: 1, nodes: [] },
  noCache: false,
  nodes: {},
});

describe('the run journal', () => {
  it('reads nothing, and creates nothing, where no run was ever saved', async () => {
    expect(await journal.load()).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('gives back the last state saved of each run, in order of acceptance', async () => {
    // Saved out of order, and one run twice in quick succession: the later state wins.
    void journal.save(record(10, 'queued'));
    void journal.save(record(2, 'queued'));
    void journal.save(record(10, 'running'));
    await journal.save(record(10, 'finished'));
    await journal.flush();
    expect((await journal.load()).map((r) => [r.seq, r.phase])).toEqual([
      [2, 'queued'],
      [10, 'finished'],
    ]);
    await journal.remove(2);
    expect((await journal.load()).map((r) => r.seq)).toEqual([10]);
  });

  it('sets aside a record it cannot read, with a warning, and keeps the others', async () => {
    await journal.save(record(1, 'finished'));
    await writeFile(path.join(dir, 'runs', '000000000002.json'), '{"format":1,"seq":2,"id":');
    expect((await journal.load()).map((r) => r.seq)).toEqual([1]);
    expect(warnings).toEqual([expect.stringMatching(/^Set aside the run record 000000000002\.json, which cannot be read/)]);
    expect((await readdir(path.join(dir, 'runs'))).sort()).toEqual(['000000000001.json', '000000000002.json.unreadable']);
  });
});
