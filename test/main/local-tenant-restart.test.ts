// The local tenant comes back with the app under new credentials (its clients are made afresh at each start). A
// request for it made while it restarts waits for the new credentials instead of reaching the new process with the
// old ones and being refused — the window asks at once when it opens.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { TenantProfile, UserSearchResult } from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { forkLocalTenant } from '../../main/local-tenant/launcher.js';
import { SessionVault } from '../../main/vault/index.js';
import { routerCall } from '../support/router.js';

const dataDir = mkdtempSync(join(tmpdir(), 'td-local-restart-'));
const vault = new SessionVault();
let second: App | undefined;
afterAll(async () => {
  await second?.close();
});

describe('the local tenant after a restart of the app', () => {
  it('answers a request made while it restarts, with its new credentials', async () => {
    const first = await createApp({ dataDir, host: 'browser', version: 'test', vault, localTenantUsers: 50 });
    const sandbox = await routerCall<TenantProfile>(first, 'local-tenant:start', {});
    await routerCall(first, 'users:search', { tenantId: sandbox.id, perPage: 1 });
    await first.close();

    // The new process listens at once; the profile gets its new credentials a moment later.
    second = await createApp({
      dataDir,
      host: 'browser',
      version: 'test',
      vault,
      localTenantUsers: 50,
      launchLocalTenant: async (args) => {
        const child = await forkLocalTenant(args);
        await sleep(1500);
        return child;
      },
    });
    const r = await routerCall<UserSearchResult>(second, 'users:search', {
      tenantId: sandbox.id,
      perPage: 5,
    });
    expect(r.users).toHaveLength(5);
    expect(second.tenants.list().find((t) => t.id === sandbox.id)?.clientId).not.toBe(sandbox.clientId);
  }, 60_000);
});
