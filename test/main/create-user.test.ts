// Create user past the window's own check (a script, an older window): Auth0's "PasswordStrengthError: Password is
// too weak" comes back in words — what the connection's policy asks — beside the password field, and the audit
// records those words, not the raw refusal.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditEntry, TenantProfile } from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let app: App;
beforeAll(async () => {
  t = await startTestTenant({ users: 5, seed: 'create-user' });
  app = await createApp({
    dataDir: mkdtempSync(join(tmpdir(), 'td-create-')),
    host: 'browser',
    version: 'test',
    vault: new SessionVault(),
    resumeLocalTenant: false,
  });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

it('words Auth0’s refusal of a weak password by the connection’s policy', async () => {
  const added = await app.router.invoke('tenants:add', t.sessionProfile('Create', 'staging', '#123456'));
  const tenant = (added as { ok: true; data: TenantProfile }).data;
  const r = await app.router.invoke('users:create', {
    tenantId: tenant.id,
    connection: 'Username-Password-Authentication',
    email: 'weak@example.net',
    password: 'weakpass',
  });
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error.code).toBe('validation');
  expect(r.error.message).toBe(
    'Too weak for this connection’s password policy (good): At least 8 characters, 3 of 4 kinds: lower case, upper case, numbers, symbols.',
  );
  expect(r.error.details).toEqual({ issues: [{ path: 'password', message: r.error.message }] });
  const audit = (await app.router.invoke('audit:list', { tenantId: tenant.id })) as {
    ok: true;
    data: AuditEntry[];
  };
  const entry = audit.data.find((e) => e.action === 'user.create')!;
  expect(entry).toMatchObject({ outcome: 'failure', error: r.error.message });
  expect(JSON.stringify(audit.data)).not.toContain('weakpass');
});

it('creates a user with a username where the connection requires one, and knows its length rule', async () => {
  const conn = t.emu.store.connectionByName('Username-Password-Authentication')!;
  t.emu.store.putConnection({
    ...conn,
    options: { ...conn.options, requires_username: true, validation: { username: { min: 3, max: 15 } } },
  });
  const added = await app.router.invoke('tenants:add', t.sessionProfile('Named', 'staging', '#654321'));
  const tenant = (added as { ok: true; data: TenantProfile }).data;
  const listed = await app.router.invoke('connections:list', { tenantId: tenant.id });
  expect(listed.ok && listed.data).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        name: 'Username-Password-Authentication',
        requiresUsername: true,
        usernameLength: { min: 3, max: 15 },
      }),
    ]),
  );
  const base = {
    tenantId: tenant.id,
    connection: 'Username-Password-Authentication',
    password: 'Strong-Pass-42',
  };
  const made = await app.router.invoke('users:create', {
    ...base,
    email: 'named@example.net',
    username: 'ada_l',
  });
  expect(made.ok).toBe(true);
  if (made.ok) expect((made.data as { username?: string }).username).toBe('ada_l');
  // Past the window's check (a script): Auth0's own refusal, nothing made.
  const long = await app.router.invoke('users:create', {
    ...base,
    email: 'long@example.net',
    username: 'ada_lovelace_countess',
  });
  expect(long).toMatchObject({ ok: false, error: { status: 400 } });
  expect(t.emu.store.users.withEmail('long@example.net')).toHaveLength(0);
  // A bad character is refused by the contract before anything is sent.
  const bad = await app.router.invoke('users:create', {
    ...base,
    email: 'bad@example.net',
    username: 'ada l',
  });
  expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
});
