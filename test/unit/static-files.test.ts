import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/main/core/security/csp';
import { originOf } from '../../src/main/core/security/origins';
import { readStatic, resolveInside } from '../../src/main/core/security/static-files';
import { scratchDir } from '../support/scratch';

describe('static file guard', () => {
  const parent = scratchDir('static');
  const root = join(parent, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<html></html>');
  writeFileSync(join(root, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(parent, 'secret.txt'), 'outside');

  it('resolves paths inside the root', () => {
    expect(resolveInside(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveInside(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
  });

  it('refuses traversal in every spelling', () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..\\secret.txt', '/%00', '/%E0%A4%A']) {
      expect(resolveInside(root, path), path).toBeNull();
    }
  });

  it('answers 200 with a content type, 403 outside and 404 when missing', async () => {
    expect(await readStatic(root, '/assets/app.js')).toMatchObject({ status: 200, contentType: 'text/javascript; charset=utf-8' });
    expect((await readStatic(root, '/../secret.txt')).status).toBe(403);
    expect((await readStatic(root, '/nope.css')).status).toBe(404);
    expect((await readStatic(root, '/assets')).status).toBe(404);
  });
});

describe('CSP and origins', () => {
  it('allows no inline script, no eval and no remote origin by default', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval';/);
    expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|https:|\*/);
    expect(contentSecurityPolicy({ connect: ['ws://127.0.0.1:5180'] })).toContain("connect-src 'self' ws://127.0.0.1:5180");
  });

  it('opens Twilio only when asked, and only for connections and media', () => {
    expect(contentSecurityPolicy()).not.toContain('twilio.com');
    const csp = contentSecurityPolicy({ twilio: true });
    const directive = (name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `)) ?? '';
    expect(directive('connect-src')).toContain('https://*.twilio.com wss://*.twilio.com');
    expect(directive('media-src')).toContain('https://*.twilio.com');
    expect(directive('script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
  });

  it('computes origins for app:// and http(s) URLs', () => {
    expect(originOf('app://studio/index.html')).toBe('app://studio');
    expect(originOf('http://127.0.0.1:5180/x')).toBe('http://127.0.0.1:5180');
    expect(originOf('not a url')).toBeNull();
    expect(originOf(undefined)).toBeNull();
  });
});
