import { describe, expect, it } from 'vitest';
import { engineUrl, socketUrl } from './engine-url.ts';

describe('engine URLs', () => {
  it('builds the socket address from the page, passing on a token', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:8790', search: '' })).toBe('ws://127.0.0.1:8790/ws');
    expect(socketUrl({ protocol: 'https:', host: 'box:443', search: '?token=a b' })).toBe('wss://box:443/ws?token=a%20b');
  });

  it('adds the token to media and upload URLs', () => {
    expect(engineUrl('/media/x.mp4', '')).toBe('/media/x.mp4');
    expect(engineUrl('/media/x.mp4', '?token=t')).toBe('/media/x.mp4?token=t');
    expect(engineUrl('/upload?name=a.png', '?token=t')).toBe('/upload?name=a.png&token=t');
  });
});
