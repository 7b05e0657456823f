// User management through the router against the local tenant: Auth0's merge rules, stale edits, the support-desk
// actions, the audit trail and a retried create that must not duplicate a user. (The guard: guard.test.ts.)
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Auth0User, AuditEntry, TenantProfile, UserSearchResult } from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let app: App;
let dev: TenantProfile;
let dropNextCreateResponse = false;

beforeAll(async () => {
  t = await startTestTenant({ users: 150, seed: 'users-service' });
  app = await createApp({
    dataDir: mkdtempSync(join(tmpdir(), 'td-users-')),
    host: 'browser',
    version: 'test',
    vault: new SessionVault(),
    // Loses the response of one create after the tenant applied it, as a flaky network would.
    wrapTransport: (inner) =>
      (async (input, init) => {
        const res = await inner(input, init);
        if (dropNextCreateResponse && init?.method === 'POST' && String(input).endsWith('/api/v2/users')) {
          dropNextCreateResponse = false;
          await res.arrayBuffer();
          return new Response(
            JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'upstream reset' }),
            { status: 503 },
          );
        }
        return res;
      }) as typeof fetch,
  });
  const admin = t.emu.clients.find((c) => c.name === 'admin')!;
  const base = {
    domain: t.emu.domain,
    clientId: admin.clientId,
    caCert: t.emu.caCert,
    secret: admin.clientSecret,
    secretStorage: 'session',
  };
  dev = await call<TenantProfile>('tenants:add', {
    ...base,
    label: 'Dev',
    environment: 'development',
    color: '#2e7d32',
  });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const r = await app.router.invoke(channel, payload);
  if (!r.ok)
    throw Object.assign(new Error(`${channel}: ${r.error.code}: ${r.error.message}`), { envelope: r.error });
  return r.data as T;
}
async function fails(channel: string, payload: unknown) {
  const r = await app.router.invoke(channel, payload);
  expect(r.ok, `${channel} should fail`).toBe(false);
  return (r as { ok: false; error: { code: string; message: string; details?: unknown } }).error;
}
const dbUsers = () =>
  [...t.emu.store.users.values()].filter((u) => u.identities[0]?.provider === 'auth0' && u.email);

describe('search', () => {
  it('searches with Auth0 syntax, pages, and shows Auth0\u2019s message for a malformed query', async () => {
    const r = await call<UserSearchResult>('users:search', {
      tenantId: dev.id,
      q: 'email:*@example.com',
      perPage: 10,
    });
    expect(r.users).toHaveLength(10);
    expect(r.total).toBe(
      [...t.emu.store.users.values()].filter((u) => u.email?.endsWith('@example.com')).length,
    );
    const bad = await fails('users:search', { tenantId: dev.id, q: 'name:(unclosed' });
    expect(bad.code).toBe('invalid_query');
    expect(bad.message).toMatch(/missing closing parenthesis/);
    const beyond = await fails('users:search', { tenantId: dev.id, q: '', page: 20, perPage: 50 });
    expect(beyond.message).toMatch(/first 1,000 results/);
  });
});

describe('metadata', () => {
  it('sends only changed top-level keys, null removing one, and the tenant merges them', async () => {
    const user = dbUsers()[0]!;
    const before = await call<Auth0User>('users:get', { tenantId: dev.id, userId: user.user_id });
    const keep = Object.keys(before.app_metadata ?? {}).find((k) => k !== 'plan')!;
    const updated = await call<Auth0User>('users:update-metadata', {
      tenantId: dev.id,
      userId: user.user_id,
      kind: 'app_metadata',
      changes: { plan: null, region: 'eu' },
      expectedUpdatedAt: before.updated_at,
    });
    expect(updated.app_metadata).not.toHaveProperty('plan');
    expect(updated.app_metadata).toMatchObject({ region: 'eu', [keep]: before.app_metadata![keep] });
    expect(t.emu.store.users.get(user.user_id)!.app_metadata).toEqual(updated.app_metadata);
  });

  it('detects a stale edit and overwrites nothing', async () => {
    const user = dbUsers()[1]!;
    const loaded = await call<Auth0User>('users:get', { tenantId: dev.id, userId: user.user_id });
    await t.client().users.update(user.user_id, { user_metadata: { theme: 'changed-elsewhere' } });
    const stale = await fails('users:update-metadata', {
      tenantId: dev.id,
      userId: user.user_id,
      kind: 'user_metadata',
      changes: { theme: 'mine' },
      expectedUpdatedAt: loaded.updated_at,
    });
    expect(stale.code).toBe('conflict');
    expect(stale.message).toMatch(/changed on the tenant after you opened it/);
    expect(t.emu.store.users.get(user.user_id)!.user_metadata!.theme).toBe('changed-elsewhere');
  });
});

describe('support-desk actions', () => {
  it('issues a ticket link, sends the reset email, sets a password, resets MFA, manages roles', async () => {
    const user = dbUsers().find((u) => t.emu.store.authenticationMethods.has(u.user_id)) ?? dbUsers()[3]!;
    const ticket = await call<{ ticket: string; expiresAt: string }>('users:password-ticket', {
      tenantId: dev.id,
      userId: user.user_id,
      ttlSec: 3600,
    });
    expect(ticket.ticket).toContain('/u/reset-password?ticket=');
    expect(Date.parse(ticket.expiresAt) - Date.now()).toBeGreaterThan(3500_000);

    await call('users:reset-email', { tenantId: dev.id, userId: user.user_id });
    expect(t.emu.outbox().filter((m) => m.to === user.email && m.type === 'reset_email')).toHaveLength(1);

    const withPassword = await call<Auth0User>('users:set-password', {
      tenantId: dev.id,
      userId: user.user_id,
      password: 'Desk-Set-Pass-9',
    });
    expect(withPassword.last_password_reset).toBeTruthy();
    expect(t.emu.store.checkPassword(user.user_id, 'Desk-Set-Pass-9')).toBe(true);

    const mfa = await call<{ authenticationMethods: unknown[] }>('users:mfa-reset', {
      tenantId: dev.id,
      userId: user.user_id,
    });
    expect(mfa.authenticationMethods).toEqual([]);

    const roles = await call<{ roles: { id: string; name: string }[]; total: number }>('roles:search', {
      tenantId: dev.id,
    });
    expect(roles.total).toBe(60); // all of them, not the dashboard's first 50
    const target = roles.roles.find((r) => r.name === 'Auditor')!;
    const assigned = await call<{ id: string }[]>('users:assign-roles', {
      tenantId: dev.id,
      userId: user.user_id,
      roleIds: [target.id],
    });
    expect(assigned.map((r) => r.id)).toContain(target.id);
    const removed = await call<{ id: string }[]>('users:remove-roles', {
      tenantId: dev.id,
      userId: user.user_id,
      roleIds: [target.id],
    });
    expect(removed.map((r) => r.id)).not.toContain(target.id);

    const social = [...t.emu.store.users.values()].find((u) => u.identities[0]?.isSocial)!;
    const refused = await fails('users:reset-email', { tenantId: dev.id, userId: social.user_id });
    expect(refused.message).toMatch(/social or enterprise connection/);
  });

  it('records every write in the audit log, passwords never', async () => {
    const audit = await call<AuditEntry[]>('audit:list', { tenantId: dev.id });
    const actions = audit.map((a) => a.action);
    for (const a of [
      'user.update-app-metadata',
      'user.password-ticket',
      'user.reset-email',
      'user.set-password',
      'user.mfa-reset',
      'user.assign-roles',
      'user.remove-roles',
    ])
      expect(actions).toContain(a);
    expect(JSON.stringify(audit)).not.toContain('Desk-Set-Pass-9');
    const file = await call<{ id: string; filename: string }>('audit:export-csv', { tenantId: dev.id });
    expect(file.filename).toMatch(/^tenant-desk-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(app.downloads.get(file.id).path, 'utf8');
    expect(csv.split('\n')[0]).toBe(
      'time,os_user,tenant_id,tenant_domain,action,target,outcome,error,job_id,before,after,audit_id,reason_ticket,reason_note,via',
    );
    expect(csv).not.toContain('Desk-Set-Pass-9');
    // Each write is one row with its outcome (its pending line is folded into it).
    expect(csv.split('\n').filter((l) => l.includes(',user.set-password,'))).toHaveLength(1);
  });
});

describe('creating users', () => {
  it('treats a 409 after a retried create as done when it is the same user, without a duplicate', async () => {
    dropNextCreateResponse = true;
    const created = await call<Auth0User>('users:create', {
      tenantId: dev.id,
      connection: 'Username-Password-Authentication',
      email: 'retried.create@example.net',
      password: 'Retry-Safe-Pass-1',
    });
    expect(created.email).toBe('retried.create@example.net');
    expect(t.emu.store.usersByEmail('retried.create@example.net')).toHaveLength(1);
    // A genuine duplicate still fails clearly.
    const dup = await fails('users:create', {
      tenantId: dev.id,
      connection: 'Username-Password-Authentication',
      email: 'retried.create@example.net',
      password: 'Retry-Safe-Pass-1',
    });
    expect(dup.code).toBe('conflict');
  });
});
