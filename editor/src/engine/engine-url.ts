/**
 * Addresses of the engine. The editor is served by the engine (or proxied to
 * it by Vite), so everything is same-origin; a `?token=` in the page URL is
 * passed on where a browser cannot set headers (the socket, <video src>).
 */
export function pageToken(search: string = location.search): string | undefined {
  return new URLSearchParams(search).get('token') ?? undefined;
}

export function socketUrl(loc: Pick<Location, 'protocol' | 'host' | 'search'> = location): string {
  const token = pageToken(loc.search);
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** A same-origin engine URL (media, upload, examples) with the page's token appended. */
export function engineUrl(path: string, search: string = location.search): string {
  const token = pageToken(search);
  if (!token) return path;
  return `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}
