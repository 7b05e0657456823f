// Secrets an earlier Tenant Desk kept through keytar are moved at the first start on @napi-rs/keyring, against the
// real gnome-keyring: the old entries are written by libsecret's own secret-tool with keytar's attributes
// ({service, account}), exactly what keytar wrote. A tenant whose secret is nowhere is named, in words.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionTestResult, KeychainStatus } from '../../preload/contract.js';
import { createApp } from '../../main/app.js';
import { ProfileStore } from '../../main/tenants/profile-store.js';
import { KeyringVault } from '../../main/vault/index.js';
import { SecretServiceLegacySecrets } from '../../main/vault/keytar-legacy.js';
import { keychainSecret } from '../support/keychain.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

const SERVICE = 'tenant-desk';

/** What keytar did on Linux: libsecret's generic schema, attributes service and account. */
function keytarStore(account: string, secret: string): void {
  execFileSync(
    'secret-tool',
    ['store', '--label', `${SERVICE}/${account}`, 'service', SERVICE, 'account', account],
    {
      input: secret,
    },
  );
}
function keytarLookup(account: string): string | null {
  const r = spawnSync('secret-tool', ['lookup', 'service', SERVICE, 'account', account], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout : null;
}

let t: TestTenant;
beforeAll(async () => {
  t = await startTestTenant({ users: 5, seed: 'migration' });
});
afterAll(async () => t?.close());

describe('moving secrets kept by keytar', () => {
  it('moves each keytar secret into the new keychain entry and names the tenants with none', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'td-migrate-'));
    const admin = t.emu.clients.find((c) => c.name === 'admin')!;
    // The profiles file an earlier version left: two tenants in the keychain, one only for the session.
    const profiles = new ProfileStore(dataDir);
    const base = {
      domain: t.emu.domain,
      clientId: admin.clientId,
      authMethod: 'client_secret' as const,
      environment: 'development' as const,
      color: '#336699',
      audience: null,
      caCert: t.emu.caCert,
      localTenant: false,
    };
    const kept = profiles.add({ ...base, label: 'Kept by keytar', secretStorage: 'keychain' });
    const lost = profiles.add({ ...base, label: 'Lost secret', secretStorage: 'keychain' });
    profiles.add({ ...base, label: 'Session only', secretStorage: 'session' });
    keytarStore(kept.id, admin.clientSecret!);
    expect(await keychainSecret(kept.id)).toBeNull(); // the new binding does not see keytar's entry by itself

    const app = await createApp({ dataDir, host: 'browser', version: 'test' });
    try {
      const status = await app.router.invoke('keychain:status', {});
      expect(status.ok).toBe(true);
      const s = (status as { data: KeychainStatus }).data;
      expect(s.available).toBe(true);
      expect(s.missingSecrets).toEqual([{ id: lost.id, label: 'Lost secret', domain: t.emu.domain }]);

      // Moved: in the new entry, gone from keytar's, and the tenant works with it.
      expect(await keychainSecret(kept.id)).toBe(admin.clientSecret);
      expect(keytarLookup(kept.id)).toBeNull();
      const tested = await app.router.invoke('tenants:test-connection', { id: kept.id });
      expect(tested.ok).toBe(true);
      expect((tested as { data: ConnectionTestResult }).data.scopes).toContain('read:users');

      // The tenant with no secret says so when used, and stops being named once its secret is set again.
      const refused = await app.router.invoke('tenants:test-connection', { id: lost.id });
      expect(refused.ok).toBe(false);
      expect(!refused.ok && refused.error.code).toBe('no_secret');
      const set = await app.router.invoke('tenants:set-secret', {
        id: lost.id,
        secret: admin.clientSecret,
        secretStorage: 'keychain',
      });
      expect(set.ok).toBe(true);
      const after = (await app.router.invoke('keychain:status', {})) as { ok: true; data: KeychainStatus };
      expect(after.data.missingSecrets).toBeUndefined();
    } finally {
      await app.close();
      await new KeyringVault().delete(kept.id);
      await new KeyringVault().delete(lost.id);
    }
  });

  it('reads nothing for an account keytar never stored, and leaves other services alone', async () => {
    keytarStore('someone', 'other-app-secret');
    const legacy = new SecretServiceLegacySecrets('another-service');
    try {
      expect(await legacy.read('someone')).toBeNull();
    } finally {
      legacy.close();
    }
    const ours = new SecretServiceLegacySecrets(SERVICE);
    try {
      expect(await ours.read('nobody-here')).toBeNull();
      expect(await ours.read('someone')).toBe('other-app-secret');
      await ours.remove('someone');
      expect(keytarLookup('someone')).toBeNull();
    } finally {
      ours.close();
    }
  });
});
