// Wires the services of main for one data dir. Both hosts create the app the same way; no service knows its host.
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { AuditLog } from './audit/audit-log.js';
import { createRouter, type Router } from './router.js';
import { SandboxService } from './sandbox.js';
import type { SchedulerOptions } from './scheduler/rate-scheduler.js';
import { ProfileStore } from './tenants/profile-store.js';
import { TenantService } from './tenants/tenant-service.js';
import { KeytarVault, SecretStore, type CredentialVault } from './vault/index.js';

export interface AppOptions {
  dataDir: string;
  host: 'electron' | 'browser';
  version: string;
  vault?: CredentialVault;
  osUser?: string;
  scheduler?: SchedulerOptions;
  sandboxUsers?: number;
}

export interface App {
  router: Router;
  tenants: TenantService;
  close(): Promise<void>;
}

function currentOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function createApp(options: AppOptions): Promise<App> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const secrets = new SecretStore(options.vault ?? new KeytarVault());
  // Services made below; the scrubber reads them lazily.
  const late: { tenants?: TenantService; sandbox?: SandboxService } = {};
  const knownSecrets = () => [
    ...secrets.secrets(),
    ...(late.tenants?.tokens() ?? []),
    ...(late.sandbox?.secretsInUse() ?? []),
  ];
  const audit = new AuditLog(options.dataDir, options.osUser ?? currentOsUser(), undefined, knownSecrets);
  const profiles = new ProfileStore(options.dataDir);

  let emit: ReturnType<typeof createRouter>['emit'] = () => undefined;
  const service = new TenantService({
    profiles,
    secrets,
    audit,
    onChange: (list) => emit('tenants:changed', { tenants: list }),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
  const sandboxService = new SandboxService(options.dataDir, service, secrets, options.sandboxUsers);
  late.tenants = service;
  late.sandbox = sandboxService;

  const router = createRouter(
    {
      'app:info': () => {
        let firstRun: boolean;
        try {
          firstRun = service.list().length === 0;
        } catch {
          firstRun = true;
        }
        return { version: options.version, host: options.host, dataDir: options.dataDir, firstRun };
      },
      'keychain:status': () => secrets.keychain.status(),
      'tenants:list': () => service.list(),
      'tenants:add': (input) => service.add(input),
      'tenants:update': (input) => service.update(input.id, input.patch),
      'tenants:set-secret': (input) => service.setSecret(input.id, input.secret, input.secretStorage),
      'tenants:remove-secret': (input) => service.removeSecret(input.id),
      'tenants:remove': (input) => service.remove(input.id),
      'tenants:test-connection': (input) => service.testConnection(input.id),
      'sandbox:start': () => sandboxService.start(),
      'audit:list': (input) => audit.list(input),
    },
    knownSecrets,
  );
  emit = router.emit;

  return {
    router: { channelNames: router.channelNames, invoke: router.invoke, subscribe: router.subscribe },
    tenants: service,
    async close() {
      await service.close();
      await sandboxService.close();
    },
  };
}
