/**
 * The library of reusable graphs: `<data dir>/library/<id>.json`, one saved
 * definition per file (with the definitions it uses, for nesting), so a graph
 * made in one pipeline can be inserted into any other. Files are written
 * atomically and read back with validation: a broken, oversized or foreign
 * file is skipped with a reason, never trusted and never fatal.
 */
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';
import { reusableGraphSchema, type ReusableGraph } from '../pipeline/pipeline-document.ts';
import { PIPELINE_LIMITS, structureProblem } from '../pipeline/pipeline-limits.ts';

export const LIBRARY_FORMAT = 'reelgraph.graph';
export const LIBRARY_VERSION = 1;

export const LIBRARY_LIMITS = {
  /** Bytes of one entry's file. */
  fileBytes: 2 * 1024 * 1024,
  /** Entries in the library. */
  files: 500,
  /** Definitions one entry carries besides its own (those it uses). */
  definitions: 64,
};

/** A library id: what a file is named by; never a path. */
export const LIBRARY_ID = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;

const identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "-" and "." only');

export const libraryDefinitionsSchema = z
  .record(identifier, reusableGraphSchema)
  .refine((definitions) => Object.keys(definitions).length <= LIBRARY_LIMITS.definitions, `at most ${LIBRARY_LIMITS.definitions} definitions`);

const entrySchema = z.strictObject({
  format: z.literal(LIBRARY_FORMAT),
  version: z.literal(LIBRARY_VERSION),
  id: z.string().regex(LIBRARY_ID),
  /** The id the definition had in the pipeline it was saved from: inserting prefers it. */
  definitionId: identifier,
  definition: reusableGraphSchema,
  definitions: libraryDefinitionsSchema.optional(),
  savedAt: z.string().max(40),
});

export type LibraryEntry = z.output<typeof entrySchema>;

/** What lists show: the full definitions are fetched one entry at a time. */
export interface LibraryEntrySummary {
  id: string;
  name: string;
  description?: string;
  savedAt: string;
}

export interface LibrarySaveRequest {
  definitionId: string;
  definition: ReusableGraph;
  definitions?: Record<string, ReusableGraph>;
}

/** A refusal about the library or an entry, said in words for the client. */
export class LibraryProblem extends Error {}

/** A safe file id from a graph's name: letters, digits, "-" and "_", never empty, never a path. */
export function libraryIdFor(name: string): string {
  let id = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-]+|[-]+$/g, '')
    .slice(0, 56)
    .replace(/-+$/, '');
  if (id === '') id = 'graph';
  // Names Windows reserves for devices, whatever the extension.
  if (/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(id)) id = `graph-${id}`;
  return id;
}

export class GraphLibrary {
  /** Parsed files by name, while their size and mtime are unchanged: listing does not re-read 500 files each time. */
  readonly #parsed = new Map<string, { size: number; mtimeMs: number; result: LibraryEntry | string }>();

  constructor(
    readonly dir: string,
    private readonly limits = LIBRARY_LIMITS,
  ) {}

  /** Every readable entry, by name; what was skipped, with why. */
  async list(): Promise<{ entries: LibraryEntrySummary[]; skipped: { file: string; reason: string }[] }> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((name) => name.endsWith('.json') && !name.startsWith('.')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skipped: [] };
      throw error;
    }
    const entries: LibraryEntrySummary[] = [];
    const skipped: { file: string; reason: string }[] = [];
    for (const [index, name] of names.entries()) {
      if (index >= this.limits.files) {
        skipped.push({ file: name, reason: `The library holds at most ${this.limits.files} graphs.` });
        continue;
      }
      const result = await this.#read(name);
      if (typeof result === 'string') skipped.push({ file: name, reason: result });
      else entries.push(summaryOf(result));
    }
    entries.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { entries, skipped };
  }

  /** The whole entry; a LibraryProblem when there is none (or it cannot be read). */
  async get(id: string): Promise<LibraryEntry> {
    if (!LIBRARY_ID.test(id)) throw new LibraryProblem(`"${id.slice(0, 80)}" is not a library id.`);
    const result = await this.#read(`${id}.json`);
    if (typeof result === 'string') throw new LibraryProblem(`The library graph "${id}" cannot be used: ${result}`);
    return result;
  }

  /** Writes the definition under the id its name gives (replacing an entry of the same name); returns the entry. */
  async save(request: LibrarySaveRequest, now = new Date()): Promise<LibraryEntry> {
    const id = libraryIdFor(request.definition.name);
    const entry: LibraryEntry = {
      format: LIBRARY_FORMAT,
      version: LIBRARY_VERSION,
      id,
      definitionId: request.definitionId,
      definition: request.definition,
      ...(request.definitions && Object.keys(request.definitions).length > 0 ? { definitions: request.definitions } : {}),
      savedAt: now.toISOString(),
    };
    const checked = entrySchema.safeParse(entry);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new LibraryProblem(`The graph cannot be saved to the library: ${issue.message} (at "${issue.path.join('.')}").`);
    }
    const text = `${JSON.stringify(checked.data, null, 2)}\n`;
    const bytes = Buffer.from(text);
    if (bytes.byteLength > this.limits.fileBytes) {
      throw new LibraryProblem(
        `"${request.definition.name}" is too large for the library (${bytes.byteLength} bytes; at most ${this.limits.fileBytes}).`,
      );
    }
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${id}.json`);
    const exists = await stat(file).then(
      () => true,
      () => false,
    );
    if (!exists) {
      const count = (await readdir(this.dir)).filter((name) => name.endsWith('.json') && !name.startsWith('.')).length;
      if (count >= this.limits.files) throw new LibraryProblem(`The library is full (${this.limits.files} graphs); remove one first.`);
    }
    await writeFileAtomic(file, [bytes]);
    return checked.data;
  }

  /** Removes an entry; a LibraryProblem when there is none. */
  async remove(id: string): Promise<void> {
    if (!LIBRARY_ID.test(id)) throw new LibraryProblem(`"${id.slice(0, 80)}" is not a library id.`);
    const file = path.join(this.dir, `${id}.json`);
    try {
      await stat(file);
    } catch {
      throw new LibraryProblem(`No graph "${id}" is in the library.`);
    }
    await rm(file, { force: true });
    this.#parsed.delete(`${id}.json`);
  }

  /** The entry in `name`, or why it cannot be used. */
  async #read(name: string): Promise<LibraryEntry | string> {
    const id = name.slice(0, -'.json'.length);
    if (!LIBRARY_ID.test(id)) return 'Its file name is not a library id (letters, digits, "-" and "_").';
    const file = path.join(this.dir, name);
    let info: import('node:fs').Stats;
    try {
      info = await stat(file);
    } catch {
      return 'It is not in the library.';
    }
    if (!info.isFile()) return 'It is not a file.';
    const known = this.#parsed.get(name);
    if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) return known.result;
    const result = await this.#parse(file, id, info.size);
    this.#parsed.set(name, { size: info.size, mtimeMs: info.mtimeMs, result });
    return result;
  }

  async #parse(file: string, id: string, size: number): Promise<LibraryEntry | string> {
    if (size > this.limits.fileBytes) return `It is too large (${size} bytes; at most ${this.limits.fileBytes}).`;
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      return error instanceof SyntaxError ? 'It is not valid JSON.' : `It cannot be read: ${(error as Error).message}`;
    }
    const problem = structureProblem(json, { what: 'The file', depth: PIPELINE_LIMITS.depth });
    if (problem) return problem;
    const parsed = entrySchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return `It is not a Reelgraph library graph: ${issue.message}${issue.path.length > 0 ? ` (at "${issue.path.join('.')}")` : ''}.`;
    }
    if (parsed.data.id !== id) return `It names itself "${parsed.data.id}", not "${id}" as its file does.`;
    return parsed.data;
  }
}

function summaryOf(entry: LibraryEntry): LibraryEntrySummary {
  return {
    id: entry.id,
    name: entry.definition.name,
    ...(entry.definition.description !== undefined ? { description: entry.definition.description } : {}),
    savedAt: entry.savedAt,
  };
}
