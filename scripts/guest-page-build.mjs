/**
 * Builds the guest page (`src/guest`): its own small static bundle (no React, no studio code), with
 * relative asset paths so it works under any URL prefix.
 *
 * - `buildGuestPage({ outDir })`: the copy the studio's network guest server serves (Local mode,
 *   `out/renderer/guest`, built after the renderer by electron.vite.config.ts), with the viewer page
 *   (`watch/`, "Share the player on my network"). Its CSP is the guest server's header.
 * - `buildGuestPage({ outDir, hosted: true })`: the copy any static host serves for Twilio-mode
 *   guests (`npm run build:guest-page` → `out/guest-page`; the release workflow publishes it to
 *   GitHub Pages). A static host sets no headers, so the page carries its CSP in a `<meta>`: its
 *   own scripts only, connections to itself and to Twilio (`https://*.twilio.com`, `wss://*.twilio.com`).
 *
 * Run directly: `node scripts/guest-page-build.mjs [outDir]` (default `out/guest-page`, hosted).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The hosted page's policy (a `<meta>` cannot carry frame-ancestors; the page has nothing worth framing). */
export const HOSTED_GUEST_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self' https://*.twilio.com wss://*.twilio.com",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** @returns {import('vite').Plugin} */
function metaCsp() {
  return {
    name: 'onair-guest-page-meta-csp',
    transformIndexHtml() {
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: HOSTED_GUEST_PAGE_CSP }, injectTo: 'head-prepend' }];
    },
  };
}

/** @param {{ outDir: string, hosted?: boolean }} options */
export async function buildGuestPage({ outDir, hosted = false }) {
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: resolve('src/guest'),
    base: './',
    logLevel: 'warn',
    plugins: hosted ? [metaCsp()] : [],
    build: {
      outDir: resolve(outDir),
      emptyOutDir: true,
      target: 'chrome120',
      modulePreload: { polyfill: false },
      chunkSizeWarningLimit: 2048,
      // The viewer page (`watch/`) is served only by the studio ("Share the player on my network"), never hosted.
      rollupOptions: { input: hosted ? { guest: resolve('src/guest/index.html') } : { guest: resolve('src/guest/index.html'), watch: resolve('src/guest/watch/index.html') } },
    },
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = process.argv[2] ?? 'out/guest-page';
  await buildGuestPage({ outDir, hosted: true });
  console.log(`guest page built into ${outDir}`);
}
