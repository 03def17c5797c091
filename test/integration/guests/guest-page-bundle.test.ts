import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGuestPage, HOSTED_GUEST_PAGE_CSP } from '../../../scripts/guest-page-build.mjs';
import { scratchDir } from '../../support/scratch';

/**
 * The guest page as static files: the hosted copy (Twilio mode, any static host) carries its CSP
 * in a meta tag ahead of every script, uses relative paths only (it works under any prefix, e.g.
 * GitHub Pages' /<repo>/), and loads twilio-video only for a room link; the copy the studio's
 * guest server serves has no meta CSP (its header is stricter: no Twilio at all).
 */
function built(dir: string) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const assets = readdirSync(join(dir, 'assets'));
  const text = (name: string) => readFileSync(join(dir, 'assets', name), 'utf8');
  const entry = /src="\.\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  return { html, assets, text, entry };
}

describe('the guest page bundle', () => {
  it('hosted: meta CSP before any script, relative asset paths, twilio-video only in a chunk loaded on demand', async () => {
    const dir = scratchDir('guest-page');
    await buildGuestPage({ outDir: dir, hosted: true });
    const { html, assets, text, entry } = built(dir);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    expect(csp?.[1]?.replaceAll('&#39;', "'")).toBe(HOSTED_GUEST_PAGE_CSP);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    expect(HOSTED_GUEST_PAGE_CSP).toMatch(/script-src 'self';/);
    expect(HOSTED_GUEST_PAGE_CSP).not.toMatch(/unsafe-(inline|eval)/);
    expect(html).not.toMatch(/(src|href)="\/(?!\/)/);
    expect(entry).toBeTruthy();
    // The entry holds no signalling endpoint of Twilio's; the chunk that does is imported dynamically.
    expect(text(entry!)).not.toContain('vss.twilio.com');
    const twilioChunk = assets.find((name) => name.endsWith('.js') && text(name).includes('vss.twilio.com'));
    expect(twilioChunk).toBeTruthy();
    expect(text(entry!)).toMatch(new RegExp(`import\\(\\s*["'\`]\\./${twilioChunk!.replace(/[.$]/g, '\\$&')}`));
    // The viewer page is served only by the studio, never hosted.
    expect(existsSync(join(dir, 'watch', 'index.html'))).toBe(false);
  });

  it('served by the studio: no meta CSP (the guest server sends its own, without Twilio), with the viewer page', async () => {
    const dir = scratchDir('guest-page-lan');
    await buildGuestPage({ outDir: dir });
    expect(built(dir).html).not.toContain('Content-Security-Policy');
    const viewer = readFileSync(join(dir, 'watch', 'index.html'), 'utf8');
    expect(viewer).toMatch(/src="\.\.\/assets\/[^"]+\.js"/);
  });
});
