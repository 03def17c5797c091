import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path to a file under `root`, or null when the path would leave it
 * (`..`, encoded `%2e%2e`, backslashes, NUL) or names nothing. `/` is `index.html`.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded.replace(/^\/+/, '') || 'index.html';
  const base = resolve(root);
  const target = resolve(base, relative);
  if (target !== base && !target.startsWith(base + sep)) return null;
  return target;
}

export interface StaticFile {
  status: number;
  body: Buffer | string;
  contentType: string;
}

/** Reads a file for a URL path under `root`; 403 outside, 404 when missing. */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile> {
  const target = resolveInside(root, urlPath);
  if (!target) return { status: 403, body: 'Forbidden', contentType: 'text/plain; charset=utf-8' };
  try {
    const info = await stat(target);
    if (!info.isFile()) throw new Error('not a file');
    return { status: 200, body: await readFile(target), contentType: contentTypeFor(target) };
  } catch {
    return { status: 404, body: 'Not found', contentType: 'text/plain; charset=utf-8' };
  }
}
