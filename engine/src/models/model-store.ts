/**
 * Installed models, one folder each under `<data dir>/models/<owner>/<name>/`:
 * the model's files and `reelgraph-model.json`, its manifest (id, family,
 * tasks, each file's sha256 and size, licence, source). `add` copies a folder
 * in under a temp name and renames it into place, so a model is installed
 * whole or not at all; `verify` hashes the files again; installed models are
 * registered with the models package so node params accept their ids.
 */
import { cp, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
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
