/**
 * Serves the built editor (a folder of static files) at `/`. Paths are looked
 * up inside that folder only; unknown paths get `index.html`, so the editor's
 * own routes survive a reload.
 */
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { createReadStream } from 'node:fs';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** The editor loads only from its own origin; React Flow sets inline styles, workers come from blob: in dev builds. */
const EDITOR_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self' ws: wss:",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
].join('; ');

export async function serveEditor(request: IncomingMessage, response: ServerResponse, editorDir: string, pathname: string): Promise<boolean> {
  const root = await realpath(editorDir).catch(() => undefined);
  if (!root) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  const relative = path.posix.normalize(decoded).replace(/^\/+/, '');
  const candidate = relative === '' || relative.split('/').some((part) => part.startsWith('.')) ? 'index.html' : relative;
  let file = path.join(root, candidate);
  let info = await stat(file).catch(() => undefined);
  if (!info?.isFile() || !file.startsWith(root + path.sep)) {
    file = path.join(root, 'index.html');
    info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return false;
  }
  const extension = path.extname(file);
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
    'Content-Length': String(info.size),
    'X-Content-Type-Options': 'nosniff',
    // Hashed asset names never change; index.html must always be fresh.
    'Cache-Control': file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...(extension === '.html' ? { 'Content-Security-Policy': EDITOR_CSP, 'X-Frame-Options': 'DENY' } : {}),
  });
  if (request.method === 'HEAD') {
    response.end();
    return true;
  }
  createReadStream(file).pipe(response);
  return true;
}
