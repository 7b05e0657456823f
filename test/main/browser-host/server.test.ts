// The browser host's guards: loopback only, a per-launch token, an Origin check, a Host check, and the router's
// validation behind the socket.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../main/browser-host/server.js';
import { createRouter } from '../../../main/router.js';
import type { Router } from '../../../main/router.js';

let host: BrowserHost;
let router: Router;
const TOKEN = 'test-token-0123456789abcdef';

beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'td-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tenant Desk</title>');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  const handlers = Object.fromEntries(
    [
      'app:info',
      'keychain:status',
      'tenants:list',
      'tenants:add',
      'tenants:update',
      'tenants:set-secret',
      'tenants:remove-secret',
      'tenants:remove',
      'tenants:test-connection',
      'local-tenant:start',
      'audit:list',
    ].map((c) => [c, async () => (c === 'tenants:list' ? [] : {})]),
  );
  router = createRouter(handlers as never, () => []);
  host = await startBrowserHost({ router, staticDir, token: TOKEN });
});
afterAll(async () => host?.close());

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path, headers: { host: `127.0.0.1:${host.port}`, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function connect(
  query: string,
  origin: string | undefined,
  hostHeader = `127.0.0.1:${host.port}`,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc${query}`, {
      headers: { host: hostHeader, ...(origin ? { origin } : {}) },
    });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(String(res.statusCode))));
    ws.once('error', reject);
  });
}

const ownOrigin = () => `http://127.0.0.1:${host.port}`;

describe('browser host', () => {
  it('listens on 127.0.0.1 and prints a URL with a long token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=`));
    const random = startBrowserHost({ router, staticDir: tmpdir(), port: 0 });
    return random.then(async (h) => {
      expect(new URL(h.url).searchParams.get('token')!.length).toBeGreaterThanOrEqual(43);
      await h.close();
    });
  });

  it('serves the renderer with the CSP and refuses other Host headers and path traversal', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'none'");
    expect((await get('/assets/app.js')).status).toBe(200);
    expect((await get('/', { host: `evil.example:${host.port}` })).status).toBe(421);
    expect((await get('/', { host: `127.0.0.1:${host.port + 1}` })).status).toBe(421);
    // localhost is this computer too: it is sent to the one origin the socket accepts, token and all.
    const moved = await get('/?token=abc', { host: `localhost:${host.port}` });
    expect(moved.status).toBe(308);
    expect(moved.headers.location).toBe(`http://127.0.0.1:${host.port}/?token=abc`);
    expect((await get('/../../etc/passwd')).status).toBe(404);
    expect((await get('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
  });

  it('refuses the socket without the token, with a wrong token, a foreign Origin or a foreign Host', async () => {
    await expect(connect('', ownOrigin())).rejects.toThrow('403');
    await expect(connect('?token=wrong', ownOrigin())).rejects.toThrow('403');
    await expect(connect(`?token=${TOKEN}`, 'http://evil.example')).rejects.toThrow('403');
    await expect(connect(`?token=${TOKEN}`, undefined)).rejects.toThrow('403');
    await expect(connect(`?token=${TOKEN}`, ownOrigin(), `attacker.example:${host.port}`)).rejects.toThrow(
      '403',
    );
  });

  it('answers requests through the router, validation included', async () => {
    const ws = await connect(`?token=${TOKEN}`, ownOrigin());
    const ask = (msg: unknown) =>
      new Promise<{ id: number; result: { ok: boolean; error?: { code: string } } }>((resolve) => {
        ws.once('message', (d) => resolve(JSON.parse(String(d))));
        ws.send(JSON.stringify(msg));
      });
    expect(await ask({ id: 1, channel: 'tenants:list', payload: {} })).toEqual({
      id: 1,
      result: { ok: true, data: [] },
    });
    const bad = await ask({ id: 2, channel: 'tenants:add', payload: { label: 1 } });
    expect(bad.result.ok).toBe(false);
    expect(bad.result.error?.code).toBe('validation');
    const unknown = await ask({ id: 3, channel: 'shell:exec', payload: {} });
    expect(unknown.result.error?.code).toBe('validation');
    ws.close();
  });
});
