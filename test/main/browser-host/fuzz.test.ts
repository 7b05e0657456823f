// The browser host and the router under hostile frames: thousands of random ones (types, nulls, huge, deep, unknown
// channels), the three that used to end the process, and 2,000 requests at once on one connection. The host stays
// up; a frame with a usable id is answered (a result or a typed error), one without is ignored, as documented in
// server.ts; and memory comes back near where it started.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { errorCodes, type Result, type TenantProfile } from '../../../preload/contract.js';
import { createApp, type App } from '../../../main/app.js';
import { MAX_REQUEST_BYTES, startBrowserHost, type BrowserHost } from '../../../main/browser-host/server.js';
import { SessionVault } from '../../../main/vault/index.js';
import { startTestTenant, type TestTenant } from '../../support/tenant.js';

const TOKEN = 'fuzz-token-0123456789abcdef';
let t: TestTenant;
let app: App;
let host: BrowserHost;
let tenant: TenantProfile;

beforeAll(async () => {
  t = await startTestTenant({ users: 50, seed: 'fuzz' });
  const staticDir = mkdtempSync(join(tmpdir(), 'td-fuzz-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tenant Desk</title>');
  app = await createApp({
    dataDir: mkdtempSync(join(tmpdir(), 'td-fuzz-')),
    host: 'browser',
    version: 'test',
    vault: new SessionVault(),
  });
  host = await startBrowserHost({ router: app.router, staticDir, token: TOKEN, downloads: app.downloads });
  const r = await app.router.invoke('tenants:add', t.sessionProfile('Fuzz', 'development', '#123456'));
  tenant = (r as { ok: true; data: TenantProfile }).data;
});
afterAll(async () => {
  await host?.close();
  await app?.close();
  await t?.close();
});

interface Client {
  ws: WebSocket;
  answers: Map<unknown, Result<unknown>>;
  closed: Promise<number>;
}

async function connect(): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${TOKEN}`, {
    headers: { origin: `http://127.0.0.1:${host.port}` },
    maxPayload: 64 * 1024 * 1024,
  });
  const answers = new Map<unknown, Result<unknown>>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: unknown; result?: Result<unknown> };
    if (msg.id !== undefined && msg.result) answers.set(msg.id, msg.result);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, answers, closed };
}

async function until(predicate: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function heapMb(): number {
  for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Does the host still answer a plain request on a new connection? */
async function stillUp(): Promise<void> {
  const c = await connect();
  c.ws.send(JSON.stringify({ id: 'alive', channel: 'app:info', payload: {} }));
  await until(() => c.answers.has('alive'), 10_000);
  expect(c.answers.get('alive')).toMatchObject({ ok: true });
  c.ws.close();
}

describe('the browser host under hostile frames', () => {
  it('survives the three frames that used to end it: null, a channel without toString, and 9 MiB', async () => {
    const c = await connect();
    c.ws.send('null');
    c.ws.send('{"id": 1, "channel": {"toString": 5}, "payload": {}}');
    c.ws.send(JSON.stringify({ id: 2, channel: Object.create(null), payload: {} }));
    c.ws.send(`{"id":3,"channel":"app:info","payload":{"x":"${'a'.repeat(9 * 1024 * 1024)}"}}`);
    await until(() => c.answers.has(1) && c.answers.has(2) && c.answers.has(3));
    expect(c.answers.get(1)).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(c.answers.get(3)).toMatchObject({
      ok: false,
      error: {
        code: 'validation',
        message: expect.stringContaining(`${MAX_REQUEST_BYTES / 1024 / 1024} MB`),
      },
    });
    // Far past the limit, the connection is closed (1009), not the host.
    c.ws.send(Buffer.alloc(40 * 1024 * 1024, 0x61));
    expect(await c.closed).toBe(1009);
    await stillUp();
  });

  it('answers or ignores, as documented, 3,000 random frames, and its memory comes back', async () => {
    let x = 20261123;
    const random = () => (x = (x * 48271) % 2147483647) / 2147483647;
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
    const channels = [
      ...app.router.channelNames,
      'tenants:steal',
      '',
      '__proto__',
      'constructor',
      'x'.repeat(500),
    ];
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const values = (): string =>
      pick([
        'null',
        '1',
        '-0',
        '1e400',
        '"s"',
        'true',
        '[]',
        '{}',
        deep(2000),
        `"${'z'.repeat(100_000)}"`,
        `{"__proto__":{"polluted":true}}`,
        `{"tenantId":"${tenant.id}","userId":"auth0|nobody"}`,
        `{"tenantId":"${tenant.id}","q":"${'('.repeat(300)}"}`,
        `{"tenantId":"${tenant.id}","q":"email:*a*b*c*d*e*"}`,
      ]);
    const ids = (): string | null =>
      pick([
        null,
        'null',
        '"text-id"',
        '1.5',
        '-3',
        '{}',
        '[]',
        `"${'i'.repeat(100)}"`,
        'true',
        String(Math.floor(random() * 1e6)),
      ]);

    const c = await connect();
    const before = heapMb();
    const expected = new Set<string>();
    const sentIds: unknown[] = [];
    for (let i = 0; i < 3000; i++) {
      const kind = random();
      let frame: string | Buffer;
      if (kind < 0.1) frame = pick(['null', '1', '"x"', '[]', 'true', 'not json', '{', deep(5000)]);
      else if (kind < 0.15) frame = Buffer.from([0, 1, 2, 255]);
      else {
        const idText = random() < 0.8 ? String(100_000 + i) : ids();
        const channel = random() < 0.7 ? JSON.stringify(pick(channels)) : values();
        frame = `{${idText === null ? '' : `"id":${idText},`}"channel":${channel},"payload":${values()}}`;
        if (idText !== null) {
          let id: unknown;
          try {
            id = JSON.parse(idText);
          } catch {
            id = undefined;
          }
          const usable =
            (typeof id === 'number' && Number.isSafeInteger(id)) ||
            (typeof id === 'string' && id.length <= 64);
          if (usable) {
            expected.add(JSON.stringify(id));
            sentIds.push(id);
          }
        }
      }
      c.ws.send(frame, { binary: Buffer.isBuffer(frame) });
    }
    // Every frame with a usable id gets an answer (ids may repeat: the last answer stands).
    await until(() => [...expected].every((id) => c.answers.has(JSON.parse(id))), 120_000);
    for (const id of sentIds) {
      const r = c.answers.get(id)!;
      if (!r.ok) {
        expect(errorCodes).toContain(r.error.code);
        expect(typeof r.error.message).toBe('string');
      }
    }
    // Nothing else arrived: frames without a usable id were ignored.
    expect([...c.answers.keys()].every((id) => expected.has(JSON.stringify(id)))).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    c.ws.close();
    await c.closed;
    const after = heapMb();
    console.log(
      `fuzz: ${sentIds.length} answered of 3000 frames; heap ${before.toFixed(0)} → ${after.toFixed(0)} MB`,
    );
    expect(after - before).toBeLessThan(64);
    await stillUp();
  });

  it('holds 2,000 requests sent at once on one connection to a bounded number in flight, and answers them all', async () => {
    const c = await connect();
    const before = heapMb();
    const user = [...t.emu.store.users.values()][0]!;
    let peakInFlight = 0;
    let active = 0;
    const realInvoke = app.router.invoke;
    app.router.invoke = async (channel, payload) => {
      peakInFlight = Math.max(peakInFlight, ++active);
      try {
        return await realInvoke(channel, payload);
      } finally {
        active--;
      }
    };
    try {
      for (let i = 0; i < 2000; i++)
        c.ws.send(
          JSON.stringify({
            id: i,
            channel: 'users:get',
            payload: { tenantId: tenant.id, userId: user.user_id },
          }),
        );
      await until(() => c.answers.size === 2000, 180_000);
    } finally {
      app.router.invoke = realInvoke;
    }
    const results = [...c.answers.values()];
    const ok = results.filter((r) => r.ok).length;
    const busy = results.filter((r) => !r.ok && r.error.code === 'busy').length;
    expect(ok + busy).toBe(2000);
    expect(ok).toBeGreaterThan(1000);
    expect(peakInFlight).toBeLessThanOrEqual(32);
    c.ws.close();
    await c.closed;
    const after = heapMb();
    console.log(
      `2,000 at once: ${ok} answered, ${busy} busy, ≤ ${peakInFlight} in flight; heap ${before.toFixed(0)} → ${after.toFixed(0)} MB`,
    );
    expect(after - before).toBeLessThan(64);
  });
});
