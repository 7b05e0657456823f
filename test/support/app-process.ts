// A Tenant Desk main process of its own, for tests that kill one (SIGKILL) and start the next on the same data dir.
// The test side spawns it with the local tenant's admin credentials; the process side adds that tenant with its secret
// in the OS keychain, as a user's machine keeps it, so that the next start finds it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import type { App } from '../../main/app.js';
import type { TenantProfile } from '../../preload/contract.js';
import { routerCall } from './router.js';
import type { TestTenant } from './tenant.js';

interface TenantCredentials {
  domain: string;
  clientId: string;
  clientSecret: string;
  caCert: string;
}

/** Starts `script` (under test/support/) with the tenant's admin credentials; its stdout as lines. */
export function spawnAppProcess(
  script: string,
  args: string[],
  t: TestTenant,
): { child: ChildProcess; lines: Interface; exited: Promise<number | null> } {
  const admin = t.emu.clients.find((c) => c.name === 'admin')!;
  const tenant: TenantCredentials = {
    domain: t.emu.domain,
    clientId: admin.clientId,
    clientSecret: admin.clientSecret!,
    caCert: t.emu.caCert,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', `test/support/${script}`, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TENANT: JSON.stringify(tenant) },
  });
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, lines, exited };
}

/** In the spawned process: the tenant it was given, added with its secret in the OS keychain. */
export function addGivenTenant(app: App, label: string): Promise<TenantProfile> {
  const tenant = JSON.parse(process.env.TENANT ?? '{}') as TenantCredentials;
  return routerCall<TenantProfile>(app, 'tenants:add', {
    label,
    domain: tenant.domain,
    clientId: tenant.clientId,
    environment: 'development',
    color: '#123456',
    caCert: tenant.caCert,
    secret: tenant.clientSecret,
    secretStorage: 'keychain',
  });
}
