// Wires the services of main for one data dir. Both hosts create the app the same way; no service knows its host.
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { AuditLog } from './audit/audit-log.js';
import { createRouter, type Router } from './router.js';
import { SandboxService } from './sandbox.js';
import type { SchedulerOptions } from './scheduler/rate-scheduler.js';
import { ProfileStore } from './tenants/profile-store.js';
import { TenantService } from './tenants/tenant-service.js';
import { UserService } from './users/user-service.js';
import { auditToCsv } from './audit/csv.js';
import { KeytarVault, SecretStore, type CredentialVault } from './vault/index.js';

export interface AppOptions {
  dataDir: string;
  host: 'electron' | 'browser';
  version: string;
  vault?: CredentialVault;
  osUser?: string;
  scheduler?: SchedulerOptions;
  sandboxUsers?: number;
  wrapTransport?: (transport: typeof fetch) => typeof fetch;
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
    ...(options.wrapTransport ? { wrapTransport: options.wrapTransport } : {}),
  });
  const sandboxService = new SandboxService(options.dataDir, service, secrets, options.sandboxUsers);
  const users = new UserService(service, audit);
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
      'audit:export-csv': (input) => ({
        csv: auditToCsv(audit.list({ ...input, limit: 1_000_000 })),
        filename: `tenant-desk-audit-${new Date().toISOString().slice(0, 10)}.csv`,
      }),
      'users:search': (input) => users.search(input),
      'users:get': (input) => users.get(input.tenantId, input.userId),
      'users:create': (input) => users.create(input),
      'users:update-metadata': (input) => users.updateMetadata(input),
      'users:set-blocked': (input) =>
        users.setBlocked(input.tenantId, input.userId, input.blocked, input.confirmDomain),
      'users:unblock-brute-force': (input) => users.unblockBruteForce(input.tenantId, input.userId),
      'users:blocks': (input) => users.blocks(input.tenantId, input.userId),
      'users:delete': (input) => users.delete(input.tenantId, input.userId, input.confirmDomain),
      'users:set-email-verified': (input) => users.setEmailVerified(input.tenantId, input.userId),
      'users:send-verification-email': (input) => users.sendVerificationEmail(input.tenantId, input.userId),
      'users:password-ticket': (input) => users.passwordTicket(input),
      'users:reset-email': (input) => users.resetEmail(input.tenantId, input.userId),
      'users:set-password': (input) =>
        users.setPassword(input.tenantId, input.userId, input.password, input.confirmDomain),
      'users:mfa': (input) => users.mfa(input.tenantId, input.userId),
      'users:mfa-reset': (input) => users.mfaReset(input.tenantId, input.userId, input.confirmDomain),
      'users:invalidate-remember-browser': (input) =>
        users.invalidateRememberBrowser(input.tenantId, input.userId),
      'users:roles': (input) => users.roles(input.tenantId, input.userId),
      'users:assign-roles': (input) => users.assignRoles(input.tenantId, input.userId, input.roleIds),
      'users:remove-roles': (input) =>
        users.removeRoles(input.tenantId, input.userId, input.roleIds, input.confirmDomain),
      'users:logs': (input) => users.logs(input.tenantId, input.userId, input.page),
      'roles:search': (input) => users.searchRoles(input.tenantId, input.nameFilter),
      'connections:list': (input) => users.connections(input.tenantId),
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
