// First run: the local tenant started in-process on a free loopback port, with a "Sandbox" profile for it.
import { join } from 'node:path';
import type { TenantProfile } from '../preload/contract.js';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import type { SecretStore } from './vault/index.js';
import type { TenantService } from './tenants/tenant-service.js';

export const SANDBOX_USERS = 5000;

export class SandboxService {
  private emulator: RunningEmulator | null = null;
  private starting: Promise<TenantProfile> | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly tenants: TenantService,
    private readonly secrets: SecretStore,
    private readonly users = SANDBOX_USERS,
  ) {}

  start(): Promise<TenantProfile> {
    this.starting ??= this.doStart().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async doStart(): Promise<TenantProfile> {
    const existing = this.tenants.list().find((t) => t.sandbox);
    if (this.emulator && existing) return existing;
    const dir = join(this.dataDir, 'sandbox');
    this.emulator ??= await startEmulator({
      port: 0,
      host: '127.0.0.1',
      users: this.users,
      seed: 'sandbox',
      dataFile: join(dir, 'tenant.json'),
      certDir: join(dir, 'certs'),
      // Client secrets live in the keychain only; the sandbox mints new ones at each start.
      persistClients: false,
    });
    const emu = this.emulator;
    // Prefer the keychain like any tenant; if it cannot be used, keep the sandbox secret for this session only.
    const keychain = await this.secrets.keychain.status();
    const storage = keychain.available ? 'keychain' : 'session';
    if (existing) {
      return this.tenants.replaceEndpoint(existing.id, {
        domain: emu.domain,
        caCert: emu.caCert,
        clientId: emu.clientId,
        secret: emu.clientSecret,
        storage,
      });
    }
    return this.tenants.add({
      label: 'Sandbox',
      domain: emu.domain,
      clientId: emu.clientId,
      authMethod: 'client_secret',
      environment: 'development',
      color: '#2e7d32',
      audience: null,
      caCert: emu.caCert,
      secret: emu.clientSecret,
      secretStorage: storage,
      sandbox: true,
    });
  }

  /** The emulator's own credentials, for scrubbing. */
  secretsInUse(): string[] {
    return this.emulator
      ? this.emulator.clients.flatMap((c) => [c.clientSecret ?? '', c.privateKey ?? '']).filter(Boolean)
      : [];
  }

  async close(): Promise<void> {
    const emu = this.emulator;
    this.emulator = null;
    await emu?.close();
  }
}
