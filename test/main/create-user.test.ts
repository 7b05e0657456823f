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
