/**
 * Where onnxruntime-node keeps its native libraries. The CUDA provider is a
 * separate library that its install script downloads; Reelgraph leaves that
 * script unapproved (pnpm-workspace.yaml; the root README's "Where ffmpeg
 * comes from" says why), so CUDA counts as installed only when someone
 * put the library there.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function ortBindingDir(): string {
  const entry = createRequire(import.meta.url).resolve('onnxruntime-node');
  return join(dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
}

const CUDA_LIBRARY: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'libonnxruntime_providers_cuda.so',
  win32: 'onnxruntime_providers_cuda.dll',
};

/** The CUDA provider library's path, or why there is none. */
export function findCudaProviderLibrary(dir = ortBindingDir()): { path: string } | { missing: string } {
  const name = CUDA_LIBRARY[process.platform];
  if (name === undefined) return { missing: `onnxruntime-node has no CUDA provider on ${process.platform}` };
  const path = join(dir, name);
  if (existsSync(path)) return { path };
  return { missing: `${name} is not installed beside onnxruntime-node's binding (${dir}); its CUDA install script was not run` };
}
