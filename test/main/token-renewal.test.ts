// A token the tenant no longer accepts — its signing keys rotated (a restarted tenant), a token revoked — is dropped at
// the first 401: a new one is fetched once and the request sent once more, for every kind of request (reads, writes,
// a bulk job, log reads, an export job, roles) with no restart of the app. When the new token is refused too, the
// request fails in words after that one renewal: no loop.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Auth0User,
  BulkPlanSummary,
  ExportStatus,
  JobSummary,
  TaskSummary,
  TenantProfile,
  UserSearchResult,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let app: App;
let tenant: TenantProfile;
const sent: string[] = [];
const count = (re: RegExp) => sent.filter((u) => re.test(u)).length;

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await app.router.invoke(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

async function finished(taskId: string): Promise<TaskSummary> {
  for (;;) {
    const s = await call<TaskSummary>('tasks:get', { taskId });
    if (s.status !== 'running') return s;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  t = await startTestTenant({ users: 40, seed: 'token-renewal' });
  app = await createApp({
    dataDir: mkdtempSync(join(tmpdir(), 'td-token-')),
    host: 'browser',
    version: 'test',
    vault: new SessionVault(),
    resumeLocalTenant: false,
    wrapTransport: (transport) =>
      ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
        sent.push(
          `${init?.method ?? 'GET'} ${new URL(String(input instanceof Request ? input.url : input)).pathname}`,
        );
        return transport(input, init);
      }) as typeof fetch,
  });
  tenant = await call<TenantProfile>('tenants:add', t.sessionProfile('Renewal', 'staging', '#123456'));
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('a token the tenant stopped accepting', () => {
  it('is renewed once and the request sent again: reads, writes, a bulk job, log reads, an export, roles', async () => {
    await call<UserSearchResult>('users:search', { tenantId: tenant.id, q: '' });
    const tokens = () => count(/POST \/oauth\/token$/);
    const before = tokens();

    // A read.
    await t.emu.rotateSigningKey();
    const found = await call<UserSearchResult>('users:search', { tenantId: tenant.id, q: '' });
    expect(found.users.length).toBeGreaterThan(0);
    expect(tokens()).toBe(before + 1);

    // A write: applied once.
    await t.emu.rotateSigningKey();
    const user = [...t.emu.store.users.values()][0]!;
    t.emu.store.appliedWrites.clear();
    const updated = await call<Auth0User>('users:update-metadata', {
      tenantId: tenant.id,
      userId: user.user_id,
      kind: 'user_metadata',
      changes: { renewed: true },
      expectedUpdatedAt: user.updated_at,
    });
    expect(updated.user_metadata).toMatchObject({ renewed: true });
    expect(t.emu.store.appliedWrites.get(user.user_id)).toBe(1);
    expect(tokens()).toBe(before + 2);

    // A bulk job whose token goes stale half way: every user written once.
    const ids = [...t.emu.store.users.keys()].slice(1, 21);
    const plan = await call<BulkPlanSummary>('bulk:plan', {
      tenantId: tenant.id,
      planId: 'plan-renewal-0001',
      source: { kind: 'users', userIds: ids },
      change: { kind: 'metadata', metadata: 'app_metadata', set: { renewed: 'job' } },
    });
    t.emu.store.appliedWrites.clear();
    await t.emu.rotateSigningKey();
    const job = await call<JobSummary>('bulk:start', { planId: plan.planId });
    const ended = await finished(job.id);
    expect((ended.detail as { job: JobSummary }).job.counts).toMatchObject({ done: 20, failed: 0 });
    expect(ids.map((id) => t.emu.store.appliedWrites.get(id))).toEqual(ids.map(() => 1));

    // Log reads (what the Logs tail sends).
    await t.emu.rotateSigningKey();
    const logs = await call<{ logs: unknown[] }>('logs:checkpoint', { tenantId: tenant.id, take: 10 });
    expect(logs.logs.length).toBeGreaterThan(0);

    // An export job, polled and downloaded.
    await t.emu.rotateSigningKey();
    const exp = await call<ExportStatus>('exports:start', {
      tenantId: tenant.id,
      exportId: 'exp-renewal-0001',
      source: { kind: 'tenant' },
      fields: [{ name: 'user_id' }],
      format: 'csv',
    });
    const done = await finished(exp.exportId);
    expect(done.status).toBe('completed');
    expect((done.detail as { export: ExportStatus }).export.written).toBe(t.emu.store.users.size);

    // Roles.
    await t.emu.rotateSigningKey();
    const roles = await call<{ roles: unknown[] }>('roles:list', { tenantId: tenant.id });
    expect(roles.roles.length).toBeGreaterThan(0);
  }, 60_000);

  it('fails in words after one renewal when the new token is refused too, without a loop', async () => {
    // A token in hand, a second old: the one fetched on renewal is a different token (a token of the same second,
    // for the same claims, is the same token — then nothing is sent again, as it would be refused the same way).
    await call<UserSearchResult>('users:search', { tenantId: tenant.id, q: '' });
    await new Promise((r) => setTimeout(r, 1100));
    const usersBefore = count(/GET \/api\/v2\/users$/);
    const tokensBefore = count(/POST \/oauth\/token$/);
    t.emu.store.faults = [{ method: 'GET', path: /^\/api\/v2\/users$/, status: 401, times: 100 }];
    try {
      const r = await app.router.invoke('users:search', { tenantId: tenant.id, q: '' });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('unauthorized');
        expect(r.error.message).toMatch(/credentials|token|unauthori/i);
      }
      // The request was sent twice (once, then once with a new token), and one new token was asked for.
      expect(count(/GET \/api\/v2\/users$/) - usersBefore).toBe(2);
      expect(count(/POST \/oauth\/token$/) - tokensBefore).toBe(1);
    } finally {
      t.emu.store.faults = [];
    }
    // And the next request works again with the token it has.
    const ok = await call<UserSearchResult>('users:search', { tenantId: tenant.id, q: '' });
    expect(ok.users.length).toBeGreaterThan(0);
  }, 30_000);
});
