// Incident response, through the router as the window calls it: a user's sessions, refresh tokens and consents read
// and revoked one by one (each checked to be theirs and still there), "sign out everywhere" with block and a reset
// email on a production tenant that requires a reason (one incident entry and one entry per write, each with the
// reason), and the same as bulk jobs for the users of log events — past Auth0's 1,000-result log search.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AuditEntry,
  BulkPlanSummary,
  JobSummary,
  SignOutReport,
  TaskSummary,
  TenantProfile,
  UserAccess,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let app: App;
let tenant: TenantProfile;
const reason = { ticket: 'SEC-311', note: 'Account takeover reported by the customer' };

async function invoke(channel: string, input: unknown) {
  return app.router.invoke(channel, input);
}
async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await invoke(channel, input);
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
const guard = () => ({ confirmed: true as const, typedDomain: tenant.domain });

/** A user the local tenant seeded with two sessions, a refresh token and a consent. */
function compromised() {
  const store = t.emu.store;
  const id = [...store.refreshTokens.keys()].find(
    (u) => (store.sessions.get(u)?.length ?? 0) >= 2 && store.grants.has(u),
  );
  if (!id) throw new Error('the seed gave no user with sessions, a refresh token and a consent');
  return id;
}

beforeAll(async () => {
  t = await startTestTenant({ users: 2600, seed: 'incident' });
  app = await createApp({
    dataDir: mkdtempSync(join(tmpdir(), 'td-incident-')),
    host: 'browser',
    version: 'test',
    vault: new SessionVault(),
    resumeLocalTenant: false,
  });
  tenant = await call<TenantProfile>('tenants:add', t.sessionProfile('Prod', 'production', '#aa0000'));
  tenant = await call<TenantProfile>('tenants:update', { id: tenant.id, patch: { requireReason: true } });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe("a user's access", () => {
  it('lists sessions, refresh tokens and consents with devices and application names, never a token', async () => {
    const userId = compromised();
    const access = await call<UserAccess>('users:access', { tenantId: tenant.id, userId });
    expect(access.sessions.ok && access.refreshTokens.ok && access.grants.ok).toBe(true);
    if (!access.sessions.ok || !access.refreshTokens.ok || !access.grants.ok) return;
    expect(access.sessions.items).toHaveLength(t.emu.store.sessions.get(userId)!.length);
    const mobile = access.sessions.items.find((s) => s.clients[0]?.name === 'Acme Mobile');
    expect(mobile).toMatchObject({ ip: expect.stringMatching(/^198\.51\.100\./), userAgent: /AcmeMobile/ });
    expect(access.refreshTokens.items[0]).toMatchObject({
      clientName: 'Acme Mobile',
      sessionId: mobile!.id,
      rotating: true,
    });
    expect(access.grants.items[0]).toMatchObject({
      clientName: 'Acme Mobile',
      scope: expect.arrayContaining(['read:reports']),
    });
    expect(JSON.stringify(access)).not.toMatch(/refresh_token"|access_token/);
  });

  it('revokes one session, one refresh token and one consent — only if it is the user’s and still there', async () => {
    const userId = compromised();
    const store = t.emu.store;
    const [first] = store.sessions.get(userId)!;
    const token = store.refreshTokens.get(userId)![0]!;
    const grant = store.grants.get(userId)![0]!;
    const base = { tenantId: tenant.id, userId, guard: { confirmed: true }, reason };

    // No reason on a tenant that requires one: refused, nothing sent.
    const { reason: _none, ...unexplained } = base;
    const refused = await invoke('users:revoke-session', { ...unexplained, sessionId: first!.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'confirmation_required' } });
    expect(store.sessions.get(userId)!.some((s) => s.id === first!.id)).toBe(true);

    // Another user's session id is not this user's: nothing is revoked.
    const other = [...store.sessions.entries()].find(([u]) => u !== userId)![1][0]!;
    const wrong = await invoke('users:revoke-session', { ...base, sessionId: other.id });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect([...store.sessions.values()].flat().some((s) => s.id === other.id)).toBe(true);

    await call('users:revoke-session', { ...base, sessionId: first!.id });
    expect(store.sessions.get(userId)!.some((s) => s.id === first!.id)).toBe(false);
    await call('users:revoke-refresh-token', { ...base, tokenId: token.id });
    expect(store.refreshTokens.has(userId)).toBe(false);
    await call('users:revoke-grant', { ...base, grantId: grant.id });
    expect(store.grants.has(userId)).toBe(false);

    // Revoked already: said so, nothing sent.
    const again = await invoke('users:revoke-session', { ...base, sessionId: first!.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', message: /already ended/ } });

    const entries = await call<AuditEntry[]>('audit:list', { tenantId: tenant.id, target: userId });
    for (const action of ['user.revoke-session', 'user.revoke-refresh-token', 'user.revoke-grant'])
      expect(entries.find((e) => e.action === action && e.outcome === 'success')).toMatchObject({ reason });
  });

  it('signs out everywhere with block and a reset email: one incident entry, one per write, each with the reason', async () => {
    const store = t.emu.store;
    const userId = [...store.refreshTokens.keys()].find(
      (u) => store.users.get(u)?.identities[0]?.provider === 'auth0' && !store.users.get(u)?.blocked,
    )!;
    expect(store.sessions.get(userId)?.length).toBeGreaterThan(0);
    const input = {
      tenantId: tenant.id,
      userId,
      options: { block: true, mfaReset: false, grants: true, password: 'email' },
      reason,
    };
    // Destructive on production: the domain typed back.
    const unconfirmed = await invoke('users:sign-out-everywhere', { ...input, guard: { confirmed: true } });
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'confirmation_required' } });
    expect(store.sessions.get(userId)?.length).toBeGreaterThan(0);

    const report = await call<SignOutReport>('users:sign-out-everywhere', { ...input, guard: guard() });
    expect(report.steps.map((s) => [s.step, s.ok])).toEqual([
      ['block', true],
      ['revoke-sessions', true],
      ['revoke-refresh-tokens', true],
      ['revoke-grants', true],
      ['reset-email', true],
    ]);
    expect(store.sessions.has(userId)).toBe(false);
    expect(store.refreshTokens.has(userId)).toBe(false);
    expect(store.grants.has(userId)).toBe(false);
    expect(store.users.get(userId)!.blocked).toBe(true);
    expect(
      store.outbox.some((m) => m.to === store.users.get(userId)!.email && m.type === 'reset_email'),
    ).toBe(true);
    const entries = await call<AuditEntry[]>('audit:list', { incidentId: report.incidentId });
    expect(entries.map((e) => e.action).sort()).toEqual(
      [
        'user.block',
        'user.incident',
        'user.reset-email',
        'user.revoke-grants',
        'user.revoke-refresh-tokens',
        'user.revoke-sessions',
      ].sort(),
    );
    for (const e of entries) expect(e.reason).toEqual(reason);
    // Searchable by the reason.
    const found = await call<AuditEntry[]>('audit:list', { reason: 'sec-311' });
    expect(found.length).toBeGreaterThanOrEqual(entries.length);
  });
});

describe('bulk, for the users of log events', () => {
  it('finds every user of the matching events past 1,000 and revokes each once', async () => {
    const store = t.emu.store;
    const q = 'type:s';
    const expected = new Set(
      store.logs.filter((l) => l.type === 's' && l.user_id).map((l) => l.user_id as string),
    );
    expect(expected.size).toBeGreaterThan(1000);
    const plan = await call<BulkPlanSummary>('bulk:plan', {
      tenantId: tenant.id,
      planId: 'plan-log-users-0001',
      source: { kind: 'log-events', q },
      change: { kind: 'sign-out-everywhere' },
    });
    expect(plan.total).toBe(expected.size);
    expect(plan.sourceLabel).toMatch(
      new RegExp(
        `^the ${expected.size.toLocaleString('en-US')} users of [\\d,]+ log events matching type:s$`,
      ),
    );
    const holders = [...expected].filter(
      (u) => (store.sessions.get(u)?.length ?? 0) + (store.refreshTokens.get(u)?.length ?? 0) > 0,
    );
    // Who holds nothing is found when their turn comes (read just before the write) and skipped then.
    expect(plan.willChange).toBe(expected.size);
    expect(holders.length).toBeGreaterThan(0);

    store.appliedWrites.clear();
    const job = await call<JobSummary>('bulk:start', {
      planId: plan.planId,
      guard: { confirmed: true, typedDomain: tenant.domain, typedCount: plan.willChange },
      reason,
    });
    const ended = await finished(job.id);
    expect((ended.detail as { job: JobSummary }).job.counts).toMatchObject({ failed: 0 });
    for (const u of expected) {
      expect(store.sessions.has(u)).toBe(false);
      expect(store.refreshTokens.has(u)).toBe(false);
    }
    // Each user with something to revoke was written to once per request kind it held; nobody twice.
    for (const u of holders) expect(store.appliedWrites.get(u) ?? 0).toBeLessThanOrEqual(2);
    expect(holders.every((u) => (store.appliedWrites.get(u) ?? 0) >= 1)).toBe(true);
    const idle = [...expected].filter((u) => !holders.includes(u));
    expect(idle.every((u) => !store.appliedWrites.has(u))).toBe(true);
    expect((ended.detail as { job: JobSummary }).job.counts).toMatchObject({ skipped: idle.length });
  }, 240_000);

  it('refuses an empty or malformed log query in words', async () => {
    const empty = await invoke('bulk:plan', {
      tenantId: tenant.id,
      planId: 'plan-log-users-0002',
      source: { kind: 'log-events', q: '   ' },
      change: { kind: 'revoke-sessions' },
    });
    expect(empty.ok).toBe(false);
    const bad = await invoke('bulk:plan', {
      tenantId: tenant.id,
      planId: 'plan-log-users-0003',
      source: { kind: 'log-events', q: 'type:(s' },
      change: { kind: 'revoke-sessions' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_query' } });
  });
});
