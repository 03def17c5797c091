/**
 * The compositor on a page of its own, for `bench/compositor.mjs` and `test/e2e/compositor.test.ts`:
 * vite builds `src/renderer/compositor/index.ts` (its workers included, as in the app) into
 * `outDir`, and a static server on 127.0.0.1 (a secure context: getUserMedia, getDisplayMedia)
 * serves it. The page exposes the module as `window.onairCompositor`, and React's `createElement`
 * and `createRoot` as `window.onairReact` (to mount ScenePreview).
 */
import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { build } from 'vite';

const fromRepo = createRequire(resolve('package.json'));

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** Builds the page into `outDir` (a temp folder the caller removes) and serves it; resolves to `{ url, close }`. */
export async function serveCompositorPage(outDir) {
  const root = join(outDir, 'src');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(root, { recursive: true });
  const entry = resolve('src/renderer/compositor/index.ts').replaceAll('\\', '/');
  writeFileSync(
    join(root, 'entry.js'),
    [
      `import * as compositor from ${JSON.stringify(entry)};`,
      // The page's folder is outside the repository: React by its resolved path (the same file the compositor gets).
      `import { createElement } from ${JSON.stringify(fromRepo.resolve('react'))};`,
      `import { createRoot } from ${JSON.stringify(fromRepo.resolve('react-dom/client'))};`,
      'window.onairReact = { createElement, createRoot };',
      'window.onairCompositor = compositor;',
      '',
    ].join('\n'),
  );
  writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><title>compositor</title></head><body><script type="module" src="./entry.js"></script></body></html>');
  const dist = join(outDir, 'dist');
  await build({ configFile: false, root, logLevel: 'warn', build: { outDir: dist, emptyOutDir: true, target: 'chrome130', minify: false } });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = join(dist, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(() => done())) };
}
