// Tenant logs through the router against the local tenant: Auth0's log search (the query reaches the tenant),
// checkpoint reading that Auth0 answers without the query — so main applies it, with the log-search rules — an
// event read whole, a malformed query refused in words before anything is sent; and the window's preferences kept
// in the data dir across a restart, a damaged file set aside.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEventSummary, TenantProfile } from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { routerCall } from '../support/router.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let app: App;
let tenant: TenantProfile;
const dataDir = mkdtempSync(join(tmpdir(), 'td-logs-'));

const call = routerCall;

beforeAll(async () => {
  t = await startTestTenant({ users: 400, seed: 'logs-service' });
  app = await createApp({ dataDir, host: 'browser', version: 'test', vault: new SessionVault() });
  tenant = await call<TenantProfile>(app, 'tenants:add', t.sessionProfile('Logs', 'development', '#2e7d32'));
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('tenant logs', () => {
  it('searches with Auth0 log syntax, newest first', async () => {
    const all = await call<{ logs: LogEventSummary[]; total: number }>(app, 'logs:search', {
      tenantId: tenant.id,
      q: '',
      perPage: 100,
    });
    const failed = await call<{ logs: LogEventSummary[]; total: number }>(app, 'logs:search', {
      tenantId: tenant.id,
      q: 'type:(f OR fp)',
      perPage: 100,
    });
    expect(failed.total).toBeGreaterThan(0);
    expect(failed.total).toBeLessThan(all.total);
    expect(failed.logs.every((l) => l.type === 'f' || l.type === 'fp')).toBe(true);
    const dates = failed.logs.map((l) => l.date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(failed.logs[0]).toMatchObject({
      user_id: expect.stringMatching(/^[\w-]+\|/),
      description: expect.any(String),
    });
  });

  it('reads by checkpoint in log-id order, the query applied here since Auth0 ignores it there', async () => {
    const first = await call<{ logs: LogEventSummary[]; next: string; read: number }>(
      app,
      'logs:checkpoint',
      {
        tenantId: tenant.id,
        take: 50,
      },
    );
    expect(first.read).toBe(50);
    const start = first.logs[0]!.log_id;
    // Everything after `start`, twice: once unfiltered, once for failed logins only.
    const unfiltered = await call<{ logs: LogEventSummary[]; next: string; read: number }>(
      app,
      'logs:checkpoint',
      {
        tenantId: tenant.id,
        from: start,
        take: 100,
      },
    );
    const filtered = await call<{ logs: LogEventSummary[]; next: string; read: number }>(
      app,
      'logs:checkpoint',
      {
        tenantId: tenant.id,
        from: start,
        take: 100,
        q: 'type:f',
      },
    );
    const ids = unfiltered.logs.map((l) => l.log_id);
    expect(ids).toEqual([...ids].sort());
    expect(ids.every((id) => id > start)).toBe(true);
    // The same events were read; only the failed logins among them came back, and the checkpoint moved as far.
    expect(filtered.read).toBe(unfiltered.read);
    expect(filtered.next).toBe(unfiltered.next);
    expect(filtered.logs.map((l) => l.log_id)).toEqual(
      unfiltered.logs.filter((l) => l.type === 'f').map((l) => l.log_id),
    );
  });

  it('follows new events: an event made now appears after the newest checkpoint', async () => {
    const now = await call<{ next: string }>(app, 'logs:checkpoint', { tenantId: tenant.id, take: 1 });
    // A Management API write logs `sapi`.
    const mgmt = t.client();
    const page = await mgmt.users.list({ per_page: 1 });
    await mgmt.users.update(page.data[0]!.user_id!, { app_metadata: { tail: 'yes' } });
    const after = await call<{ logs: LogEventSummary[] }>(app, 'logs:checkpoint', {
      tenantId: tenant.id,
      from: now.next,
      take: 100,
    });
    expect(after.logs.map((l) => l.type)).toContain('sapi');
    const whole = await call<Record<string, unknown>>(app, 'logs:get', {
      tenantId: tenant.id,
      logId: after.logs.find((l) => l.type === 'sapi')!.log_id,
    });
    expect(whole).toMatchObject({ type: 'sapi', log_id: expect.any(String) });
  });

  it('a malformed query is refused in words before anything is sent', async () => {
    for (const channel of ['logs:search', 'logs:checkpoint'])
      await expect(call(app, channel, { tenantId: tenant.id, q: 'type:(f OR' })).rejects.toMatchObject({
        envelope: { code: 'invalid_query', message: expect.stringMatching(/^Invalid query/) },
      });
    await expect(
      call(app, 'logs:search', { tenantId: tenant.id, q: '', page: 10, perPage: 100 }),
    ).rejects.toMatchObject({
      envelope: { code: 'invalid_query', message: expect.stringContaining('first 1,000') },
    });
  });
});

describe('preferences', () => {
  it('are kept in the data dir across a restart; a bad value is refused', async () => {
    await call(app, 'prefs:set', { key: 'table:users:t1:sizes', value: { email: 320 } });
    await call(app, 'prefs:set', { key: 'theme', value: 'dark' });
    await call(app, 'prefs:set', { key: 'theme', value: null });
    await expect(call(app, 'prefs:set', { key: 'bad key!', value: 1 })).rejects.toMatchObject({
      envelope: { code: 'validation' },
    });
    await expect(call(app, 'prefs:set', { key: 'big', value: 'x'.repeat(20_000) })).rejects.toMatchObject({
      envelope: { code: 'validation' },
    });
    const again = await createApp({ dataDir, host: 'browser', version: 'test', vault: new SessionVault() });
    try {
      expect(await call(again, 'prefs:get', {})).toEqual({ 'table:users:t1:sizes': { email: 320 } });
    } finally {
      await again.close();
    }
  });

  it('a damaged file is set aside and the defaults are used', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-prefs-'));
    writeFileSync(join(dir, 'prefs.json'), '{"theme": "dark", ');
    const a = await createApp({ dataDir: dir, host: 'browser', version: 'test', vault: new SessionVault() });
    try {
      expect(await call(a, 'prefs:get', {})).toEqual({});
      expect(readdirSync(dir).some((n) => n.startsWith('prefs.json.damaged-'))).toBe(true);
    } finally {
      await a.close();
    }
  });
});
