// The browser host: the built renderer and the router over a WebSocket, on 127.0.0.1 only, for end-to-end tests and
// machines without a display. A random per-launch token in the URL, an Origin check and a Host check (against DNS
// rebinding) guard it; the page gets the same CSP as the Electron window.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Result } from '../../preload/contract.js';
import type { DownloadStore } from '../downloads/download-store.js';
import type { Router } from '../router.js';
import { contentSecurityPolicy } from './csp.js';
import { contentTypeOf, rendererFile } from './static-files.js';

const HOST = '127.0.0.1';
/** A request larger than this is answered with an error; the page never sends one (imports go in 500 KB parts). */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
/** Frames past this close the connection outright (WebSocket code 1009) without being read. */
const MAX_FRAME_BYTES = 4 * MAX_REQUEST_BYTES;
/** Requests of one connection running at once; more wait, with the socket paused so the page feels the pressure. */
export const MAX_IN_FLIGHT = 32;
/** Requests waiting behind those; past this they are answered `busy` at once. */
export const MAX_QUEUED = 512;

export interface BrowserHostOptions {
  router: Router;
  /** The built renderer (vite build output). */
  staticDir: string;
  /** Files the app offers for download, each served once through a short-lived link. */
  downloads?: DownloadStore;
  port?: number;
  /** Fixed token for tests; random otherwise. */
  token?: string;
}

export interface BrowserHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const root = resolve(options.staticDir);
  let port = 0;
  // The one name the host answers to: anything else may be a DNS-rebinding page (localhost is sent to it).
  const ownHost = () => `${HOST}:${port}`;
  const origin = () => `http://${ownHost()}`;

  const securityHeaders = (res: ServerResponse) => {
    res.setHeader('content-security-policy', contentSecurityPolicy([`ws://${HOST}:${port}`]));
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    res.setHeader('x-frame-options', 'DENY');
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    securityHeaders(res);
    if (req.headers.host === `localhost:${port}` && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(308, { location: `${origin()}${req.url ?? '/'}` }).end();
      return;
    }
    if (req.headers.host !== ownHost()) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = new URL(req.url ?? '/', origin()).pathname;
    const link = /^\/downloads\/(dl_[0-9a-f]{32})\/([\w-]{20,100})$/.exec(pathname);
    if (link) {
      const download = options.downloads?.redeem(link[1]!, link[2]!);
      if (!download) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('This download link has expired.');
        return;
      }
      res.writeHead(200, {
        'content-type': download.contentType,
        'content-length': String(download.bytes),
        'content-disposition': `attachment; filename="${download.filename.replace(/[^\w.-]/g, '_')}"`,
        'cache-control': 'no-store',
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(download.path).pipe(res);
      return;
    }
    const file = rendererFile(root, pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': contentTypeOf(file),
        'cache-control': extname(file) === '.html' ? 'no-store' : 'public, max-age=31536000, immutable',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const refuse = (socket: Duplex, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin());
    if (url.pathname !== '/rpc') return refuse(socket, 404, 'Not Found');
    if (req.headers.host !== ownHost()) return refuse(socket, 403, 'Forbidden');
    if (req.headers.origin !== origin()) return refuse(socket, 403, 'Forbidden');
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return refuse(socket, 403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws));
  });

  const serve = (ws: WebSocket) => {
    const unsubscribe = options.router.subscribe((event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    });
    ws.on('close', unsubscribe);
    // A frame past MAX_FRAME_BYTES, or broken framing, ends this connection — never the host.
    ws.on('error', () => ws.terminate());
    const reply = (id: RequestId, result: Result<unknown>) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
    };
    let inFlight = 0;
    const queue: Request[] = [];
    const run = (r: Request) => {
      inFlight++;
      void options.router
        .invoke(r.channel, r.payload)
        .then((result) => reply(r.id, result))
        .finally(() => {
          inFlight--;
          const next = queue.shift();
          if (next) run(next);
          if (queue.length === 0 && ws.isPaused) ws.resume();
        });
    };
    ws.on('message', (data, isBinary) => {
      const request = readRequest(data, isBinary);
      if (!request) return; // not a request of ours: no id to answer to
      if ('error' in request) return reply(request.id, { ok: false, error: request.error });
      if (inFlight < MAX_IN_FLIGHT) return run(request);
      if (queue.length >= MAX_QUEUED)
        return reply(request.id, {
          ok: false,
          error: {
            code: 'busy',
            message: 'Too many requests at once on this connection. Try again in a moment.',
            retryable: true,
          },
        });
      queue.push(request);
      if (!ws.isPaused) ws.pause();
    });
  };

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolveListen());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      const closed = new Promise<void>((r) => server.close(() => r()));
      // A page left open keeps connections (keep-alive, a reconnecting socket): stopping must not wait for it.
      server.closeAllConnections();
      await closed;
    },
  };
}

type RequestId = number | string;
interface Request {
  id: RequestId;
  channel: string;
  payload: unknown;
}

function validId(id: unknown): id is RequestId {
  return (typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id.length <= 64);
}

/**
 * A frame as a request — or an answerable error, or null when there is no id to answer to. Every frame is hostile
 * until proven otherwise: binary, not JSON, not an object, without an id, with a channel that is not a string.
 */
function readRequest(
  data: Buffer | ArrayBuffer | Buffer[],
  isBinary: boolean,
): Request | { id: RequestId; error: { code: 'validation'; message: string; retryable: false } } | null {
  if (isBinary) return null;
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  if (buffer.length > MAX_REQUEST_BYTES) {
    // Not parsed: its id, if any, is read from the head (the page writes `{"id":…` first).
    const head = /^\s*\{\s*"id"\s*:\s*(\d{1,15}|"[^"\\]{0,64}")/.exec(
      buffer.subarray(0, 128).toString('utf8'),
    );
    if (!head) return null;
    return {
      id: JSON.parse(head[1]!) as RequestId,
      error: {
        code: 'validation',
        message: `This request is larger than the ${MAX_REQUEST_BYTES / 1024 / 1024} MB the browser host accepts.`,
        retryable: false,
      },
    };
  }
  let msg: unknown;
  try {
    msg = JSON.parse(buffer.toString('utf8'));
  } catch {
    return null;
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return null;
  const { id, channel, payload } = msg as { id?: unknown; channel?: unknown; payload?: unknown };
  if (!validId(id)) return null;
  if (typeof channel !== 'string')
    return {
      id,
      error: { code: 'validation', message: 'A request names its channel as a string.', retryable: false },
    };
  return { id, channel, payload };
}
