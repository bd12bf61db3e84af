/**
 * Who may talk to the engine. Checked on every HTTP request and WebSocket
 * upgrade, before anything else runs (ComfyUI learned each of these through
 * CVEs):
 * - Host must be a loopback name or an address the server is bound to, so a
 *   page on a rebinding domain (evil.com → 127.0.0.1) is refused.
 * - A state-changing request or an upgrade that carries an Origin must come
 *   from the engine's own origin; `Origin: null` is refused.
 * - With a token set, every request carries it (`Authorization: Bearer`, or
 *   `?token=` for what a browser cannot add headers to: sockets, <video src>).
 */
import { timingSafeEqual } from 'node:crypto';

export interface GuardConfig {
  port: number;
  /** Host names (without port) that may appear in Host. */
  allowedHostnames: ReadonlySet<string>;
  /** Origins allowed besides the engine's own (e.g. a dev server). */
  extraOrigins: ReadonlySet<string>;
  token: string | undefined;
}

export interface GuardedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  upgrade: boolean;
}

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function guardRequest(request: GuardedRequest, config: GuardConfig): GuardVerdict {
  const host = single(request.headers.host);
  const hostname = host === undefined ? undefined : hostnameOf(host, config.port);
  if (hostname === undefined || !config.allowedHostnames.has(hostname)) {
    return { ok: false, status: 403, message: `Host "${host ?? ''}" is not this engine; open it through localhost or its own address.` };
  }
  const origin = single(request.headers.origin);
  if (origin !== undefined && (request.upgrade || !SAFE_METHODS.has(request.method))) {
    if (origin !== `http://${host}` && !config.extraOrigins.has(origin)) {
      return { ok: false, status: 403, message: `Requests from ${origin} may not control this engine.` };
    }
  }
  if (config.token !== undefined && !tokenMatches(presentedToken(request), config.token)) {
    return { ok: false, status: 401, message: 'This engine needs its token: send "Authorization: Bearer <token>" or add ?token=<token>.' };
  }
  return { ok: true };
}

export const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '::1'];

/** The name part of a Host header when its port is ours (an absent port is the scheme's default, never ours). */
export function hostnameOf(host: string, port: number): string | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(host.trim());
  if (!match?.[1] || Number(match[2]) !== port) return undefined;
  const name = match[1].toLowerCase();
  return name.startsWith('[') ? name.slice(1, -1) : name;
}

function presentedToken(request: GuardedRequest): string | undefined {
  const authorization = single(request.headers.authorization);
  const bearer = authorization && /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
  if (bearer) return bearer.trim();
  return new URL(request.url, 'http://engine').searchParams.get('token') ?? undefined;
}

function tokenMatches(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
