// The built renderer as files: which file a URL path means (never one outside the folder) and its content type.
// Shared by both hosts: the browser host's HTTP server and Electron's app:// protocol.
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
}

/** The file a URL path names inside `root`, or null for anything that would escape it or cannot be decoded. */
export function rendererFile(root: string, urlPathname: string): string | null {
  const base = resolve(root);
  let path: string;
  try {
    path = decodeURIComponent(urlPathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const file = normalize(join(base, path === '/' || path === '' ? 'index.html' : path));
  return file.startsWith(base + sep) ? file : null;
}
