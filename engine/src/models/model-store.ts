/**
 * Installed models, one folder each under `<data dir>/models/<owner>/<name>/`:
 * the model's files and `reelgraph-model.json`, its manifest (id, family,
 * tasks, each file's sha256 and size, licence, source). `add` copies a folder
 * in under a temp name and renames it into place, so a model is installed
 * whole or not at all; `verify` hashes the files again; installed models are
 * registered with the models package so node params accept their ids.
 */
import { createWriteStream } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { detectModelFolder, findModel, listModels, registerModel, sha256File, type ModelManifest } from '@reelgraph/models';
import { tempNameFor, writeFileAtomic } from '../fs/write-file-atomic.ts';

export const MANIFEST_FILE = 'reelgraph-model.json';
const ID = /^[a-z0-9][a-z0-9._-]{0,63}\/[a-z0-9][a-z0-9._-]{0,63}$/i;

export class ModelStoreError extends Error {
  override name = 'ModelStoreError';
}

export interface AddModelOptions {
  /** `owner/name`; default `local/<folder name>`. */
  id?: string;
  licence?: string;
  source?: string;
}

export interface PullProgress {
  id: string;
  file: string;
  /** Bytes on disk so far, over every file of the model. */
  done: number;
  total: number;
}

export interface PullOptions {
  /** Install under this id instead of the manifest's. */
  id?: string;
  onProgress?: (progress: PullProgress) => void;
  signal?: AbortSignal;
}

/** The largest model file a pull accepts (a bound on what a manifest can make the engine download). */
const MAX_PULL_FILE_BYTES = 64 * 1024 ** 3;

export interface VerifyResult {
  id: string;
  /** Sentences, one per file that is missing or changed; empty when whole. */
  problems: string[];
}

export class ModelStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'models');
  }

  folderOf(id: string): string {
    return path.join(this.dir, ...id.split('/'));
  }

  /** Installed models, by id; a folder without a readable manifest is skipped. */
  async installed(): Promise<ModelManifest[]> {
    const found: ModelManifest[] = [];
    for (const owner of await readdir(this.dir).catch(() => [] as string[])) {
      if (owner.startsWith('.')) continue;
      for (const name of await readdir(path.join(this.dir, owner)).catch(() => [] as string[])) {
        if (name.startsWith('.')) continue;
        const folder = path.join(this.dir, owner, name);
        try {
          const manifest = JSON.parse(await readFile(path.join(folder, MANIFEST_FILE), 'utf8')) as ModelManifest;
          if (manifest.id === `${owner}/${name}`) found.push({ ...manifest, folder });
        } catch {
          // Not a model (or a half-removed one): nothing to list.
        }
      }
    }
    return found.sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Makes every installed model known to node params and runners. */
  async registerAll(): Promise<void> {
    for (const manifest of await this.installed()) registerModel(manifest);
  }

  async add(source: string, options: AddModelOptions = {}): Promise<ModelManifest> {
    const from = path.resolve(source);
    if (!(await stat(from).catch(() => undefined))?.isDirectory()) throw new ModelStoreError(`${source} is not a folder.`);
    const id = options.id ?? `local/${path.basename(from).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+/, '') || 'model'}`;
    if (!ID.test(id)) throw new ModelStoreError(`"${id}" is not a model id: use owner/name, letters, digits, ".", "_" and "-".`);
    if (findModel(id) && !findModel(id)!.folder) throw new ModelStoreError(`"${id}" is a built-in model's id; give the model another id (--id).`);
    const target = this.folderOf(id);
    if (await stat(target).catch(() => undefined)) throw new ModelStoreError(`A model "${id}" is already installed; remove it first (reelgraph models remove ${id}).`);
    const detected = await detectModelFolder(from);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = tempNameFor(target);
    try {
      await mkdir(temp);
      const files = [];
      for (const file of detected.files) {
        await cp(path.join(from, file), path.join(temp, file), { dereference: true });
        const { size } = await stat(path.join(temp, file));
        files.push({ path: file, sha256: await sha256File(path.join(temp, file)), bytes: size });
      }
      const manifest: ModelManifest = {
        id,
        name: id.split('/')[1]!,
        family: detected.family,
        tasks: detected.tasks,
        ...(detected.scales ? { scales: detected.scales } : {}),
        description: detected.description,
        licence: options.licence ?? 'unknown (added from a local folder; check its source)',
        source: options.source ?? `added from ${from}`,
        files,
      };
      await writeFileAtomic(path.join(temp, MANIFEST_FILE), [Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)]);
      await rename(temp, target);
      return { ...manifest, folder: target };
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Downloads a model from the manifest at `url` (a `reelgraph-model.json`;
   * each file lies beside it, at its path). Files land in
   * `models/.partial/<owner>/<name>/` and a pull that breaks off resumes
   * there with an HTTP Range request; each file is checked against the
   * manifest's size and sha256, the folder against its family, and the model
   * is renamed into place only when whole.
   */
  async pull(url: string, options: PullOptions = {}): Promise<ModelManifest> {
    const manifestUrl = new URL(url);
    const response = await fetch(manifestUrl, { signal: options.signal });
    if (!response.ok) throw new ModelStoreError(`${url} answered ${response.status} ${response.statusText}; check the address.`);
    const offered = parseOffered(await response.text(), url);
    const id = options.id ?? offered.id;
    if (!ID.test(id)) throw new ModelStoreError(`"${id}" is not a model id: use owner/name, letters, digits, ".", "_" and "-".`);
    if (findModel(id)) throw new ModelStoreError(`A model "${id}" is already ${findModel(id)!.folder ? 'installed; remove it first' : 'built in; pull it under another id (--id)'}.`);
    const partial = path.join(this.dir, '.partial', ...id.split('/'));
    await mkdir(partial, { recursive: true });
    const total = offered.files.reduce((sum, file) => sum + file.bytes, 0);
    let before = 0;
    for (const file of offered.files) {
      const target = path.join(partial, file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await downloadResuming(new URL(file.path, manifestUrl), target, file.bytes, (bytes) => options.onProgress?.({ id, file: file.path, done: before + bytes, total }), options.signal);
      const hash = await sha256File(target);
      if (hash !== file.sha256) {
        await rm(target, { force: true });
        throw new ModelStoreError(`${file.path} from ${url} does not match the manifest's sha256; it was deleted. The server or the manifest is wrong.`);
      }
      before += file.bytes;
    }
    const detected = await detectModelFolder(partial);
    if (detected.family !== offered.family) throw new ModelStoreError(`The manifest says ${offered.family}, and the files are ${detected.family}.`);
    const manifest: ModelManifest = { ...offered, id, ...(detected.scales ? { scales: detected.scales } : {}), source: offered.source || url };
    await writeFileAtomic(path.join(partial, MANIFEST_FILE), [Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)]);
    const target = this.folderOf(id);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(partial, target);
    return { ...manifest, folder: target };
  }

  async remove(id: string): Promise<void> {
    const manifest = (await this.installed()).find((model) => model.id === id);
    if (!manifest) throw new ModelStoreError(`No model "${id}" is installed.${listModels().some((m) => m.id === id) ? ' It is built in, and cannot be removed.' : ''}`);
    // Out of the way first, so a crash mid-delete leaves no folder that looks installed.
    const doomed = tempNameFor(manifest.folder!);
    await rename(manifest.folder!, doomed);
    await rm(doomed, { recursive: true, force: true });
  }

  /** Hashes every file of one installed model, or all of them, against its manifest. */
  async verify(id?: string): Promise<VerifyResult[]> {
    const models = (await this.installed()).filter((model) => id === undefined || model.id === id);
    if (id !== undefined && models.length === 0) throw new ModelStoreError(`No model "${id}" is installed.`);
    const results: VerifyResult[] = [];
    for (const model of models) {
      const problems: string[] = [];
      for (const file of model.files) {
        const where = path.join(model.folder!, file.path);
        const info = await stat(where).catch(() => undefined);
        if (!info) problems.push(`${file.path} is missing.`);
        else if (info.size !== file.bytes) problems.push(`${file.path} has ${info.size} bytes, not ${file.bytes}: it changed or is damaged.`);
        else if ((await sha256File(where)) !== file.sha256) problems.push(`${file.path} does not match its sha256: it changed or is damaged.`);
      }
      results.push({ id: model.id, problems });
    }
    return results;
  }
}

/** A URL as given; an id through the registry in REELGRAPH_MODELS_URL (`<base>/<owner>/<name>/reelgraph-model.json`). */
export function manifestUrlFor(what: string): string {
  if (/^https?:\/\//.test(what)) return what;
  const base = process.env.REELGRAPH_MODELS_URL;
  if (!base) throw new ModelStoreError(`"${what}" is not a URL, and no model registry is set: pull the URL of a model's reelgraph-model.json, or set REELGRAPH_MODELS_URL.`);
  return new URL(`${what}/reelgraph-model.json`, base.endsWith('/') ? base : `${base}/`).href;
}

/** The manifest a server offers, checked before anything is downloaded: a hostile one names no path outside the model's folder. */
function parseOffered(text: string, url: string): ModelManifest {
  let value: ModelManifest;
  try {
    value = JSON.parse(text) as ModelManifest;
  } catch {
    throw new ModelStoreError(`${url} is not a model manifest (not JSON).`);
  }
  const files = Array.isArray(value?.files) ? value.files : undefined;
  if (typeof value.id !== 'string' || typeof value.family !== 'string' || !Array.isArray(value.tasks) || !files || files.length === 0) {
    throw new ModelStoreError(`${url} is not a model manifest: it needs an id, a family, tasks and files.`);
  }
  for (const file of files) {
    const safe =
      typeof file?.path === 'string' &&
      !path.isAbsolute(file.path) &&
      !file.path.split(/[\\/]/).some((part: string) => part === '..' || part === '' || part.startsWith('.')) &&
      typeof file.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(file.sha256) &&
      Number.isInteger(file.bytes) &&
      file.bytes >= 0 &&
      file.bytes <= MAX_PULL_FILE_BYTES;
    if (!safe) throw new ModelStoreError(`${url} lists a file Reelgraph will not download: ${JSON.stringify(file).slice(0, 200)}.`);
  }
  return {
    id: value.id,
    name: typeof value.name === 'string' ? value.name : value.id,
    family: value.family,
    tasks: value.tasks,
    description: typeof value.description === 'string' ? value.description : '',
    licence: typeof value.licence === 'string' ? value.licence : 'unknown (not stated by the manifest)',
    source: typeof value.source === 'string' ? value.source : '',
    files: files.map(({ path: p, sha256, bytes }) => ({ path: p, sha256, bytes })),
  };
}

/** Fetches `url` into `file`, continuing a partial file with a Range request; never more than `bytes`. */
async function downloadResuming(url: URL, file: string, bytes: number, onBytes: (done: number) => void, signal?: AbortSignal): Promise<void> {
  let have = (await stat(file).catch(() => undefined))?.size ?? 0;
  if (have > bytes) {
    await rm(file);
    have = 0;
  }
  if (have === bytes) {
    onBytes(have);
    return;
  }
  const response = await fetch(url, { signal, headers: have > 0 ? { range: `bytes=${have}-` } : {} });
  if (response.status === 200) have = 0;
  else if (response.status !== 206) throw new ModelStoreError(`${url.href} answered ${response.status} ${response.statusText}.`);
  if (!response.body) throw new ModelStoreError(`${url.href} sent no body.`);
  let done = have;
  const counted = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>).map((chunk: Uint8Array) => {
    done += chunk.byteLength;
    if (done > bytes) throw new ModelStoreError(`${url.href} sent more than the ${bytes} bytes the manifest lists.`);
    onBytes(done);
    return chunk;
  });
  const sink = createWriteStream(file, { flags: have > 0 ? 'a' : 'w' });
  try {
    await pipeline(counted, sink);
  } catch (error) {
    // A write already handed to the OS still lands after the pipeline fails; wait for the file to close so the size below is final.
    if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
    if (error instanceof ModelStoreError) throw error;
    // What reached the disk, which is where the next attempt resumes.
    const kept = (await stat(file).catch(() => undefined))?.size ?? 0;
    throw new ModelStoreError(`The download of ${url.href} broke off at ${kept} of ${bytes} bytes (${(error as Error).message}); run the same command again to resume.`);
  }
  if (done !== bytes) throw new ModelStoreError(`The download of ${url.href} ended at ${done} of ${bytes} bytes; run the same command again to resume.`);
}
