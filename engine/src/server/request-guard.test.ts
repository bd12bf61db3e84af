import { describe, expect, it } from 'vitest';
import { guardRequest, hostnameOf, type GuardConfig, type GuardedRequest } from './request-guard.ts';

const config: GuardConfig = {
  port: 8790,
  allowedHostnames: new Set(['localhost', '127.0.0.1', '::1']),
  extraOrigins: new Set(['http://localhost:5173']),
  token: undefined,
};
const request = (overrides: Partial<GuardedRequest> & { headers?: GuardedRequest['headers'] }): GuardedRequest => ({
  method: 'GET',
  url: '/',
  upgrade: false,
  ...overrides,
  headers: { host: 'localhost:8790', ...overrides.headers },
});

describe('guardRequest', () => {
  it('lets a same-origin browser and a plain client through', () => {
    expect(guardRequest(request({ method: 'POST', headers: { origin: 'http://localhost:8790' } }), config).ok).toBe(true);
    expect(guardRequest(request({ upgrade: true, headers: { origin: 'http://localhost:8790' } }), config).ok).toBe(true);
    expect(guardRequest(request({ method: 'POST' }), config).ok).toBe(true);
    expect(guardRequest(request({ headers: { host: '[::1]:8790' } }), config).ok).toBe(true);
  });

  it('refuses other origins on upgrades and state-changing requests, null included', () => {
    for (const origin of ['http://evil.example', 'null', 'http://localhost:8791', 'https://localhost:8790']) {
      expect(guardRequest(request({ upgrade: true, headers: { origin } }), config)).toMatchObject({ ok: false, status: 403 });
      expect(guardRequest(request({ method: 'POST', headers: { origin } }), config)).toMatchObject({ ok: false, status: 403 });
    }
    // A plain GET (a page embedding a preview video) is not state-changing.
    expect(guardRequest(request({ headers: { origin: 'http://evil.example' } }), config).ok).toBe(true);
  });

  it('accepts configured extra origins', () => {
    expect(guardRequest(request({ upgrade: true, headers: { origin: 'http://localhost:5173' } }), config).ok).toBe(true);
  });

  it('refuses a rebinding Host, a wrong port and a missing Host', () => {
    expect(guardRequest(request({ headers: { host: 'evil.example:8790' } }), config)).toMatchObject({ ok: false, status: 403 });
    expect(guardRequest(request({ headers: { host: 'localhost:80' } }), config)).toMatchObject({ ok: false, status: 403 });
    expect(guardRequest(request({ headers: { host: 'localhost' } }), config)).toMatchObject({ ok: false, status: 403 });
    expect(guardRequest({ method: 'GET', url: '/', upgrade: false, headers: {} }, config)).toMatchObject({ ok: false, status: 403 });
  });

  it('requires the token on every request when one is set', () => {
    const withToken = { ...config, token: 's3cret-token' };
    expect(guardRequest(request({}), withToken)).toMatchObject({ ok: false, status: 401 });
    expect(guardRequest(request({ headers: { authorization: 'Bearer wrong' } }), withToken)).toMatchObject({ ok: false, status: 401 });
    expect(guardRequest(request({ headers: { authorization: 'Bearer s3cret-token' } }), withToken).ok).toBe(true);
    expect(guardRequest(request({ url: '/ws?token=s3cret-token', upgrade: true }), withToken).ok).toBe(true);
  });
});

describe('hostnameOf', () => {
  it('parses names, IPv4 and bracketed IPv6 with our port only', () => {
    expect(hostnameOf('LocalHost:8790', 8790)).toBe('localhost');
    expect(hostnameOf('127.0.0.1:8790', 8790)).toBe('127.0.0.1');
    expect(hostnameOf('[::1]:8790', 8790)).toBe('::1');
    expect(hostnameOf('localhost:8790:1', 8790)).toBeUndefined();
    expect(hostnameOf('localhost:1', 8790)).toBeUndefined();
  });
});
