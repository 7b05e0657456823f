// The browser host: the built renderer and the router over a WebSocket, on 127.0.0.1 only, for end-to-end tests and
// machines without a display. A random per-launch token in the URL, an Origin check and a Host check (against DNS
// rebinding) guard it; the page gets the same CSP as the Electron window.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Router } from '../router.js';
import { contentSecurityPolicy } from './csp.js';
import { contentTypeOf, rendererFile } from './static-files.js';

const HOST = '127.0.0.1';
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

export interface BrowserHostOptions {
  router: Router;
  /** The built renderer (vite build output). */
  staticDir: string;
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
    const file = rendererFile(root, new URL(req.url ?? '/', origin()).pathname);
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

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
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
    ws.on('message', async (data) => {
      let msg: { id?: unknown; channel?: unknown; payload?: unknown };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return;
      }
      if (typeof msg.id !== 'number' && typeof msg.id !== 'string') return;
      const result = await options.router.invoke(String(msg.channel), msg.payload);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, result }));
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
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
