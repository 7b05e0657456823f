// Tenants through the app's router, against the real local tenant and the real OS keychain (gnome-keyring in tests).
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionTestResult, TenantProfile } from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';
import { keychainSecret } from '../support/keychain.js';

let t: TestTenant;
let app: App;
let dataDir: string;
beforeAll(async () => {
  t = await startTestTenant({ users: 10 });
  dataDir = mkdtempSync(join(tmpdir(), 'td-tenants-'));
  app = await createApp({ dataDir, host: 'browser', version: 'test' });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const r = await app.router.invoke(channel, payload);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

function client(name: string) {
  return t.emu.clients.find((c) => c.name === name)!;
}

async function addTenant(
  name: 'admin' | 'support-desk',
  extra: Record<string, unknown> = {},
): Promise<TenantProfile> {
  return call<TenantProfile>('tenants:add', {
    label: `Local ${name}`,
    domain: t.emu.domain,
    clientId: client(name).clientId,
    environment: 'development',
    color: '#3366CC',
    caCert: t.emu.caCert,
    secret: client(name).clientSecret,
    ...extra,
  });
}

describe('tenant profiles and the keychain', () => {
  it('keeps the secret in the OS keychain and never in the profile file', async () => {
    const profile = await addTenant('admin');
    expect(profile.secretStorage).toBe('keychain');
    expect(profile).not.toHaveProperty('secret');
    expect(await keychainSecret(profile.id)).toBe(client('admin').clientSecret);
    const file = readFileSync(join(dataDir, 'tenants.json'), 'utf8');
    expect(file).toContain(profile.id);
    expect(file).not.toContain(client('admin').clientSecret!);
    expect(JSON.parse(file)).toMatchObject({ version: 1 });
  });

  it('tests the connection: scopes and capabilities for the admin and the support-desk grants', async () => {
    const admin = await addTenant('admin');
    const support = await addTenant('support-desk');
    const a = await call<ConnectionTestResult>('tenants:test-connection', { id: admin.id });
    expect(a.scopes).toEqual(expect.arrayContaining(['read:users', 'delete:users', 'create:role_members']));
    expect(Object.values(a.capabilities).every((c) => c.allowed)).toBe(true);
    const s = await call<ConnectionTestResult>('tenants:test-connection', { id: support.id });
    expect(s.scopes.sort()).toEqual([
      'create:user_tickets',
      'read:logs',
      'read:roles',
      'read:users',
      'update:users',
    ]);
    expect(s.capabilities['users:read']).toEqual({ allowed: true, missingScopes: [] });
    expect(s.capabilities['users:delete']).toEqual({ allowed: false, missingScopes: ['delete:users'] });
    // Resetting reads the factors first: both scopes are named.
    expect(s.capabilities['mfa:reset']).toEqual({
      allowed: false,
      missingScopes: ['read:authentication_methods', 'delete:authentication_methods'],
    });
    expect(s.capabilities['tickets:password-change'].allowed).toBe(true);
  });

  it('reuses the token until shortly before it expires', async () => {
    const profile = await addTenant('admin');
    await call('tenants:test-connection', { id: profile.id });
    await call('tenants:test-connection', { id: profile.id });
    const conn = app.tenants.connection(profile.id);
    expect(conn.tokens.requests).toBe(1);
    // The same connection's SDK calls reuse it too.
    await conn.management.users.list({ per_page: 1 });
    expect(conn.tokens.requests).toBe(1);
  });

  it('refreshes a token that is about to expire', async () => {
    const { TokenProvider } = await import('../../main/auth0/token-provider.js');
    let now = Date.now();
    const provider = new TokenProvider({
      domain: t.emu.domain,
      clientId: client('admin').clientId,
      audience: t.emu.audience,
      authMethod: 'client_secret',
      secret: async () => client('admin').clientSecret!,
      fetch: t.fetch,
      now: () => now,
    });
    const first = await provider.get();
    now += 60 * 60 * 1000;
    expect((await provider.get()).token).toBe(first.token);
    expect(provider.requests).toBe(1);
    now = first.expiresAt - 30_000; // inside the refresh margin
    await provider.get();
    expect(provider.requests).toBe(2);
  });

  it('gets a token with a private-key JWT client', async () => {
    const jwtClient = client('admin-private-key-jwt');
    const profile = await call<TenantProfile>('tenants:add', {
      label: 'Local JWT',
      domain: t.emu.domain,
      clientId: jwtClient.clientId,
      authMethod: 'private_key_jwt',
      environment: 'staging',
      color: '#aa5500',
      caCert: t.emu.caCert,
      secret: jwtClient.privateKey,
    });
    const result = await call<ConnectionTestResult>('tenants:test-connection', { id: profile.id });
    expect(result.scopes).toContain('read:users');
    // Renaming it keeps its way of signing in (a patch once carried the add form's default auth method).
    const renamed = await call<TenantProfile>('tenants:update', {
      id: profile.id,
      patch: { label: 'JWT renamed' },
    });
    expect(renamed.authMethod).toBe('private_key_jwt');
    const again = await call<ConnectionTestResult>('tenants:test-connection', { id: profile.id });
    expect(again.scopes).toContain('read:users');
  });

  it('explains a wrong secret and an untrusted certificate in words a person can act on', async () => {
    const wrong = await addTenant('admin', { secret: 'not-the-secret' });
    const r = await app.router.invoke('tenants:test-connection', { id: wrong.id });
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized', status: 401 } });
    const noCa = await addTenant('admin', { caCert: null });
    const tls = await app.router.invoke('tenants:test-connection', { id: noCa.id });
    expect(tls).toMatchObject({ ok: false, error: { code: 'tls' } });
  });

  it('replaces and removes secrets and profiles, auditing each change', async () => {
    const profile = await addTenant('admin');
    await call('tenants:set-secret', { id: profile.id, secret: 'replaced-secret-value' });
    expect(await keychainSecret(profile.id)).toBe('replaced-secret-value');
    const cleared = await call<TenantProfile>('tenants:remove-secret', { id: profile.id });
    expect(cleared.secretStorage).toBeNull();
    expect(await keychainSecret(profile.id)).toBeNull();
    const noSecret = await app.router.invoke('tenants:test-connection', { id: profile.id });
    expect(noSecret).toMatchObject({ ok: false, error: { code: 'no_secret' } });
    await call('tenants:remove', { id: profile.id });
    const list = await call<TenantProfile[]>('tenants:list', {});
    expect(list.map((p) => p.id)).not.toContain(profile.id);
    const audit = await call<{ action: string; outcome: string }[]>('audit:list', { tenantId: profile.id });
    expect(audit.map((a) => a.action)).toEqual([
      'tenant.remove',
      'tenant.remove-secret',
      'tenant.set-secret',
      'tenant.add',
    ]);
    const raw = readFileSync(join(dataDir, 'audit.jsonl'), 'utf8');
    expect(raw).not.toContain('replaced-secret-value');
    expect(raw).not.toContain(client('admin').clientSecret!);
  });
});
