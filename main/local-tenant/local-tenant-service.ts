// The local tenant: the emulator in its own process on a loopback port, with a "Local tenant" profile pointing at
// it. It keeps its data in the data dir and is started again when Tenant Desk starts — on the same port when it is
// free, so the profile keeps pointing at it — and can be restarted from the tenants screen if it stops.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalTenantStatus, TenantProfile } from '../../preload/contract.js';
import { AppError } from '../errors.js';
import type { SecretStore } from '../vault/index.js';
import type { TenantService } from '../tenants/tenant-service.js';
import type { LocalTenantLauncher, LocalTenantProcess } from './launcher.js';

export const LOCAL_TENANT_USERS = 5000;

export interface LocalTenantOptions {
  dataDir: string;
  tenants: TenantService;
  secrets: SecretStore;
  launch: LocalTenantLauncher;
  users?: number;
  onStatus?: (status: LocalTenantStatus) => void;
}

export class LocalTenantService {
  private process: LocalTenantProcess | null = null;
  private starting: Promise<TenantProfile> | null = null;
  private status: LocalTenantStatus = { state: 'stopped' };

  constructor(private readonly o: LocalTenantOptions) {}

  current(): LocalTenantStatus {
    return this.status;
  }

  /** The process id of the running local tenant (for diagnostics and tests). */
  pid(): number | undefined {
    return this.process?.pid;
  }

  private setStatus(status: LocalTenantStatus): void {
    this.status = status;
    this.o.onStatus?.(status);
  }

  private profile(): TenantProfile | undefined {
    return this.o.tenants.list().find((t) => t.localTenant);
  }

  /** Starts it (or returns the running one) and makes its profile point at it, creating the profile on first run. */
  start(): Promise<TenantProfile> {
    this.starting ??= this.doStart().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /**
   * A request for the local tenant waits while it is (re)starting: its endpoint and credentials change then, and a
   * request sent meanwhile with the old ones would reach the new process and be refused.
   */
  async settled(tenantId: string): Promise<void> {
    const starting = this.starting;
    if (!starting || this.profile()?.id !== tenantId) return;
    await starting.catch(() => undefined);
  }

  /** At app start: bring back the local tenant of an earlier run, if there is one. Failures show in its status. */
  resume(): void {
    if (this.profile()) void this.start().catch(() => undefined);
  }

  /** Where its data lives: `local-tenant/` of the data dir (an earlier version's `sandbox/` is moved there). */
  private dir(): string {
    const dir = join(this.o.dataDir, 'local-tenant');
    const earlier = join(this.o.dataDir, 'sandbox');
    if (!existsSync(dir) && existsSync(earlier)) renameSync(earlier, dir);
    return dir;
  }

  private async launch(port: number): Promise<LocalTenantProcess> {
    const dir = this.dir();
    return this.o.launch([
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--users',
      String(this.o.users ?? LOCAL_TENANT_USERS),
      '--seed',
      // The demo users' seed, as it always was: a new local tenant gets the same users as before.
      'sandbox',
      '--data',
      join(dir, 'tenant.json'),
      '--cert-dir',
      join(dir, 'certs'),
      '--ephemeral-clients',
    ]);
  }

  private async doStart(): Promise<TenantProfile> {
    const existing = this.profile();
    if (this.process && existing) return existing;
    this.setStatus({ state: 'starting' });
    try {
      // The port of the last run keeps the profile (and any open view) pointing at the same place.
      const previousPort = existing ? Number(existing.domain.split(':').pop()) : 0;
      let child: LocalTenantProcess;
      try {
        child = await this.launch(Number.isInteger(previousPort) ? previousPort : 0);
      } catch (err) {
        if (!previousPort || !/EADDRINUSE|address already in use/i.test((err as Error).message)) throw err;
        child = await this.launch(0);
      }
      this.process = child;
      child.onExit((expected, detail) => {
        if (this.process === child) this.process = null;
        if (!expected)
          this.setStatus({ state: 'failed', message: `The local tenant stopped unexpectedly (${detail}).` });
      });
      const profile = await this.attach(child, existing);
      this.setStatus({ state: 'running', domain: child.info.domain });
      return profile;
    } catch (err) {
      const message =
        err instanceof AppError ? err.message : `The local tenant could not start: ${(err as Error).message}`;
      this.setStatus({ state: 'failed', message });
      throw err instanceof AppError ? err : new AppError('internal', message);
    }
  }

  private async attach(
    child: LocalTenantProcess,
    existing: TenantProfile | undefined,
  ): Promise<TenantProfile> {
    const { info } = child;
    // Prefer the keychain like any tenant; if it cannot be used, keep the secret for this session only.
    const keychain = await this.o.secrets.keychain.status();
    const storage = keychain.available ? 'keychain' : 'session';
    if (existing)
      return this.o.tenants.replaceEndpoint(existing.id, {
        domain: info.domain,
        caCert: child.caCert,
        clientId: info.clientId,
        secret: info.clientSecret,
        storage,
      });
    return this.o.tenants.add({
      label: 'Local tenant',
      domain: info.domain,
      clientId: info.clientId,
      authMethod: 'client_secret',
      environment: 'development',
      color: '#2e7d32',
      audience: null,
      caCert: child.caCert,
      secret: info.clientSecret,
      secretStorage: storage,
      localTenant: true,
    });
  }

  /** The local tenant's own credentials, for scrubbing. */
  secretsInUse(): string[] {
    return this.process
      ? this.process.info.clients.flatMap((c) => [c.clientSecret ?? '', c.privateKey ?? '']).filter(Boolean)
      : [];
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    await child?.stop();
    if (child) this.setStatus({ state: 'stopped' });
  }
}
