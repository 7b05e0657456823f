// The app:// protocol: the built renderer served to the Electron window from disk, with the CSP, and nothing else
// (no other host, no path outside the renderer folder, no method but GET/HEAD).
import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy } from '../browser-host/csp.js';
import { contentTypeOf, rendererFile } from '../browser-host/static-files.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'tenant-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
}

/** Answers one app:// request from the renderer folder. */
export async function serveAppRequest(rendererDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return notFound();
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
  const file = rendererFile(rendererDir, url.pathname);
  if (!file) return notFound();
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return notFound();
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: {
      'content-type': contentTypeOf(file),
      'content-security-policy': contentSecurityPolicy(),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
  });
}
