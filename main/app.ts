// Wires the services of main for one data dir. Both hosts create the app the same way; no service knows its host.
import { mkdirSync } from 'node:fs';
import { sweepTemporary } from './fs/sweep.js';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { userInfo } from 'node:os';
import { AuditLog } from './audit/audit-log.js';
import { resolveInterruptedWrites } from './audit/recovery.js';
import type { AuditEntry } from '../preload/contract.js';
import { writeAuditCsv } from './audit/csv.js';
import { WritePath } from './operations/write-path.js';
import { DiagnosticsLog } from './diagnostics/diagnostics-log.js';
import { DownloadStore, type Download } from './downloads/download-store.js';
import { toEnvelope } from './errors.js';
import { ExportService } from './exports/export-service.js';
import { JobsService } from './jobs/jobs-service.js';
import { TaskEngine } from './tasks/engine.js';
import { OfflineEngine } from './offline/offline-engine.js';
import { SnapshotService } from './snapshots/snapshot-service.js';
import { UploadStore } from './uploads/upload-store.js';
import { createRouter, type Router } from './router.js';
import { forkLocalTenant, type LocalTenantLauncher } from './local-tenant/launcher.js';
import { LocalTenantService } from './local-tenant/local-tenant-service.js';
import type { SchedulerOptions } from './scheduler/rate-scheduler.js';
import { ProfileStore } from './tenants/profile-store.js';
import { TenantService } from './tenants/tenant-service.js';
import { changeRoles } from './operations/user/change-roles.js';
import { createUser } from './operations/user/create.js';
import { deleteUser } from './operations/user/delete.js';
import { invalidateRememberBrowser } from './operations/user/invalidate-remember-browser.js';
import { mfaReset } from './operations/user/mfa-reset.js';
import { passwordTicket } from './operations/user/password-ticket.js';
import { resetEmail } from './operations/user/reset-email.js';
import { sendVerificationEmail } from './operations/user/send-verification-email.js';
import { setBlocked } from './operations/user/set-blocked.js';
import { setEmailVerified } from './operations/user/set-email-verified.js';
import { setPassword } from './operations/user/set-password.js';
import { unblockBruteForce } from './operations/user/unblock-brute-force.js';
import { updateMetadata } from './operations/user/update-metadata.js';
import { updateProfile } from './operations/user/update-profile.js';
import { addRoleMembers } from './operations/role/add-members.js';
import { createRole } from './operations/role/create.js';
import { deleteRole } from './operations/role/delete.js';
import { addRolePermissions, removeRolePermissions } from './operations/role/permissions.js';
import { updateRole } from './operations/role/update.js';
import { PrefsStore } from './prefs/prefs-store.js';
import { LogReads } from './logs/log-reads.js';
import { UserReads } from './users/user-reads.js';
import { CrossTenant } from './cross/cross-tenant.js';
import { ImportService } from './imports/import-service.js';
import { RoleAdmin } from './roles/role-admin.js';
import { KEYCHAIN_SERVICE, KeyringVault, SecretStore, type CredentialVault } from './vault/index.js';
import { legacySecretsFor, type LegacySecrets } from './vault/keytar-legacy.js';
import { migrateKeytarSecrets } from './vault/migrate-keytar.js';

export interface AppOptions {
  dataDir: string;
  host: 'electron' | 'browser';
  version: string;
  vault?: CredentialVault;
  /**
   * Where an earlier version's keytar entries are read from, to be moved into the keychain at start (default: the
   * platform's, when the vault is the OS keychain; none with a vault given by the caller).
   */
  legacySecrets?: LegacySecrets | null;
  osUser?: string;
  scheduler?: SchedulerOptions;
  localTenantUsers?: number;
  wrapTransport?: (transport: typeof fetch) => typeof fetch;
  /** The bulk job runner's backoff between attempts of one user (tests shorten it). */
  jobRetryDelayMs?: number;
  /** How often an import asks Auth0 about its jobs (tests shorten it). */
  importPollMs?: number;
  /** How the local tenant's process is started (Electron: a utility process). */
  launchLocalTenant?: LocalTenantLauncher;
  /** How the offline worker thread is started (the packaged app: its bundle). */
  offlineWorker?: () => Worker;
  /** Electron: asks where to save a file (the native dialog); null when the user cancels. Browser host: absent. */
  chooseSavePath?: (download: Download) => Promise<string | null>;
}

export interface App {
  router: Router;
  tenants: TenantService;
  downloads: DownloadStore;
  localTenant: LocalTenantService;
  log: DiagnosticsLog;
  jobs: JobsService;
  tasks: TaskEngine;
  exports: ExportService;
  snapshots: SnapshotService;
  /** Resolves once the writes a stopped run left pending are read back and resolved in the audit log. */
  recovered: Promise<AuditEntry[]>;
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
  // Temporary files of atomic writes and half-built files a killed run left (another running Tenant Desk's stay).
  const swept = sweepTemporary(options.dataDir, 3);
  const secrets = new SecretStore(options.vault ?? new KeyringVault());
  // Services made below; the scrubber reads them lazily.
  const late: { tenants?: TenantService; localTenant?: LocalTenantService } = {};
  const knownSecrets = () => [
    ...secrets.secrets(),
    ...(late.tenants?.tokens() ?? []),
    ...(late.localTenant?.secretsInUse() ?? []),
  ];
  const log = new DiagnosticsLog(options.dataDir, knownSecrets);
  const audit = new AuditLog(
    options.dataDir,
    options.osUser ?? currentOsUser(),
    undefined,
    knownSecrets,
    (err) =>
      log.write('error', 'audit entry not written', { detail: String((err as Error)?.message ?? err) }),
  );
  log.write('info', 'started', { version: options.version, host: options.host, node: process.versions.node });
  if (swept.length) log.write('info', 'removed what a stopped run left', { files: swept.length });
  const profiles = new ProfileStore(options.dataDir);
  // Secrets an earlier version kept through keytar are moved over in the background; tenants left without one are
  // named by keychain:status (the window says which need their secret again).
  const migrationMark = secrets.mark();
  const keychainChecked = (async () => {
    let list: ReturnType<ProfileStore['list']>;
    try {
      list = profiles.list();
    } catch {
      return; // a damaged profiles file is reported where it is read
    }
    const legacy =
      options.legacySecrets !== undefined
        ? options.legacySecrets
        : options.vault
          ? null
          : legacySecretsFor(KEYCHAIN_SERVICE);
    const result = await migrateKeytarSecrets(list, secrets.keychain, legacy, (message, details) =>
      log.write('warn', message, details),
    );
    if (result.moved.length)
      log.write('info', 'keychain secrets moved from keytar', { tenants: result.moved });
    if (result.skipped) log.write('warn', 'keychain secrets not checked at start', { why: result.skipped });
    secrets.markMissing(migrationMark, result.missing);
  })().catch((err: unknown) =>
    log.write('error', 'keychain secrets could not be checked', { message: String((err as Error)?.message) }),
  );

  let emit: ReturnType<typeof createRouter>['emit'] = () => undefined;
  const service = new TenantService({
    profiles,
    secrets,
    audit,
    onChange: (list) => emit('tenants:changed', { tenants: list }),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    ...(options.wrapTransport ? { wrapTransport: options.wrapTransport } : {}),
    onStall: (tenantId, health) => {
      log.write('warn', 'tenant stalled', { tenantId, ...health });
      emit('tenants:stalled', {
        tenantId,
        queued: health.queued,
        inFlight: health.inFlight,
        seconds: Math.round(health.msSinceProgress / 1000),
      });
    },
  });
  const localTenantService = new LocalTenantService({
    dataDir: options.dataDir,
    tenants: service,
    secrets,
    launch: options.launchLocalTenant ?? forkLocalTenant,
    ...(options.localTenantUsers !== undefined ? { users: options.localTenantUsers } : {}),
    onStatus: (status) => {
      log.write(status.state === 'failed' ? 'error' : 'info', 'local tenant', { ...status });
      emit('local-tenant:changed', status);
    },
  });
  const users = new UserReads(service);
  const logs = new LogReads(service);
  const prefs = new PrefsStore(options.dataDir);
  const writes = new WritePath(service, audit);
  const downloads = new DownloadStore(options.dataDir);
  const roleAdmin = new RoleAdmin(service, writes, downloads);
  const uploads = new UploadStore(options.dataDir);
  const tasks = new TaskEngine({
    dataDir: options.dataDir,
    audit,
    downloads,
    emit: (summary) => emit('task:progress', summary),
    log: (message, details) => log.write('warn', message, details),
  });
  const jobs = new JobsService({
    tasks,
    dataDir: options.dataDir,
    tenants: service,
    writes,
    audit,
    downloads,
    uploads,
    emit: (event, payload) => emit(event, payload),
    ...(options.jobRetryDelayMs !== undefined ? { retryDelayMs: options.jobRetryDelayMs } : {}),
  });
  late.tenants = service;
  late.localTenant = localTenantService;
  /** A failure of background work (an export) as the window shows it, logged with an incident id like a request's. */
  const envelope = (err: unknown, what: string) => {
    const error = toEnvelope(err, knownSecrets());
    error.incidentId = DiagnosticsLog.incidentId();
    if (error.code === 'internal')
      error.message = `${error.message} Quote incident ${error.incidentId} when you report it.`;
    log.write(error.code === 'internal' ? 'error' : 'warn', `${what} failed`, {
      incidentId: error.incidentId,
      code: error.code,
      message: error.message,
    });
    return error;
  };
  const engine = new OfflineEngine(options.offlineWorker);
  const snapshots = new SnapshotService({
    dir: join(options.dataDir, 'snapshots'),
    engine,
    downloads,
    uploads,
    tenants: service,
    tasks,
    envelope,
    log,
  });
  const exportsService = new ExportService({
    tenants: service,
    downloads,
    engine,
    snapshotsDir: join(options.dataDir, 'snapshots'),
    tasks,
    envelope,
    summarize: (meta) => snapshots.summarize(meta),
  });
  const imports = new ImportService({
    dataDir: options.dataDir,
    tenants: service,
    writes,
    audit,
    engine,
    uploads,
    downloads,
    tasks,
    ...(options.importPollMs !== undefined
      ? { pollMs: options.importPollMs, busyRetryMs: options.importPollMs }
      : {}),
  });
  const cross = new CrossTenant({ tenants: service, users, exports: exportsService, snapshots, envelope });

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
      'keychain:status': async () => {
        await keychainChecked;
        const missing = secrets.missingSecrets();
        return {
          ...(await secrets.keychain.status()),
          ...(missing.length ? { missingSecrets: missing } : {}),
        };
      },
      'tenants:list': () => service.list(),
      'tenants:add': (input) => service.add(input),
      'tenants:update': (input) => service.update(input.id, input.patch, input.guard),
      'tenants:set-secret': (input) =>
        service.setSecret(input.id, input.secret, input.secretStorage, input.guard),
      'tenants:remove-secret': (input) => service.removeSecret(input.id, input.guard),
      'tenants:remove': async (input) => {
        const removed = service.stored(input.id);
        const result = await service.remove(input.id, input.guard);
        if (removed.localTenant) await localTenantService.stop();
        return result;
      },
      'tenants:test-connection': (input) => service.testConnection(input.id),
      'local-tenant:start': () => localTenantService.start(),
      'local-tenant:status': () => localTenantService.current(),
      'audit:list': (input) => audit.list(input),
      'audit:export-csv': async (input) => {
        const file = downloads.reserve(
          `tenant-desk-audit-${new Date().toISOString().slice(0, 10)}.csv`,
          'text/csv; charset=utf-8',
        );
        try {
          await writeAuditCsv(audit.entries(input), file.path);
        } catch (err) {
          file.discard();
          throw err;
        }
        const { id, filename, bytes } = await file.commit();
        return { id, filename, bytes };
      },
      'downloads:save': async (input) => {
        const download = downloads.get(input.id);
        if (!options.chooseSavePath) return { url: downloads.link(download.id) };
        const path = await options.chooseSavePath(download);
        if (!path) return { saved: false };
        downloads.saveTo(download.id, path);
        return { saved: true, path };
      },
      'users:search': (input) => users.search(input),
      'users:get': (input) => users.get(input.tenantId, input.userId),
      'users:create': (input) => writes.run(createUser, input),
      'users:update-metadata': (input) => writes.run(updateMetadata, input),
      'users:update-profile': (input) => writes.run(updateProfile, input),
      'users:set-blocked': (input) => writes.run(setBlocked, input),
      'users:unblock-brute-force': (input) => writes.run(unblockBruteForce, input),
      'users:blocks': (input) => users.blocks(input.tenantId, input.userId),
      'users:delete': (input) => writes.run(deleteUser, input),
      'users:set-email-verified': (input) => writes.run(setEmailVerified, input),
      'users:send-verification-email': (input) => writes.run(sendVerificationEmail, input),
      'users:password-ticket': (input) => writes.run(passwordTicket, input),
      'users:reset-email': (input) => writes.run(resetEmail, input),
      'users:set-password': (input) => writes.run(setPassword, input),
      'users:mfa': (input) => users.mfa(input.tenantId, input.userId),
      'users:mfa-reset': (input) => writes.run(mfaReset, input),
      'users:invalidate-remember-browser': (input) => writes.run(invalidateRememberBrowser, input),
      'users:roles': (input) => users.roles(input.tenantId, input.userId),
      'users:assign-roles': async ({ roleIds, ...input }) => {
        await writes.run(changeRoles, { ...input, add: roleIds, remove: [] });
        return users.roles(input.tenantId, input.userId);
      },
      'users:remove-roles': async ({ roleIds, ...input }) => {
        await writes.run(changeRoles, { ...input, add: [], remove: roleIds });
        return users.roles(input.tenantId, input.userId);
      },
      'users:logs': (input) => users.logs(input.tenantId, input.userId, input.page),
      'prefs:get': () => prefs.all(),
      'prefs:set': (input) => {
        prefs.set(input.key, input.value);
        return { saved: true as const };
      },
      'logs:search': (input) => logs.search(input),
      'logs:checkpoint': (input) => logs.checkpoint(input),
      'logs:get': (input) => logs.get(input.tenantId, input.logId),
      'bulk:plan': (input) => jobs.plan(input),
      'bulk:cancel-plan': (input) => jobs.cancelPlan(input.planId),
      'bulk:plan-items': (input) => jobs.planItems(input),
      'bulk:save-users': (input) => jobs.saveUsers(input.planId),
      'bulk:start': (input) => jobs.start(input.planId, input.guard),
      'jobs:items': (input) => jobs.items(input),
      'jobs:retry-plan': (input) => jobs.retryPlan(input.jobId, input.planId),
      'jobs:undo-plan': (input) => jobs.undoPlan(input.jobId, input.planId),
      'tasks:list': (input) => tasks.list(input.tenantId ? { tenantId: input.tenantId } : {}),
      'tasks:get': (input) => tasks.describe(input.taskId),
      'tasks:control': (input) => tasks.control(input.taskId, input.action),
      'tasks:results': (input) => tasks.results(input.taskId),
      'roles:search': (input) => users.searchRoles(input.tenantId, input.nameFilter),
      'connections:list': (input) => users.connections(input.tenantId),
      'roles:list': (input) => roleAdmin.list(input),
      'roles:get': (input) => roleAdmin.get(input.tenantId, input.roleId),
      'roles:create': (input) => writes.run(createRole, input),
      'roles:update': (input) => writes.run(updateRole, input),
      'roles:delete': (input) => writes.run(deleteRole, input),
      'roles:members': (input) => roleAdmin.members(input),
      'roles:add-members': (input) => writes.run(addRoleMembers, input),
      'roles:remove-members': (input) => roleAdmin.removeMembers(input),
      'roles:add-permissions': (input) => writes.run(addRolePermissions, input),
      'roles:remove-permissions': (input) => writes.run(removeRolePermissions, input),
      'roles:export-members': (input) => roleAdmin.exportMembers(input.tenantId, input.roleId),
      'resource-servers:list': (input) => roleAdmin.resourceServers(input.tenantId),
      'imports:prepare': (input) => imports.prepare(input),
      'imports:start': (input) => imports.start(input),
      'imports:failures': (input) => imports.failures(input),
      'imports:template': (input) => imports.template(input),
      'cross:search': (input) => cross.search(input),
      'cross:compare': (input) => cross.compare(input),
      'exports:start': (input) => exportsService.start(input),
      'snapshots:list': () => snapshots.list(),
      'snapshots:search': (input) => snapshots.search(input),
      'snapshots:user': (input) => snapshots.user(input.snapshotId, input.userId),
      'snapshots:delete': (input) => snapshots.delete(input.snapshotId),
      'snapshots:open-file': (input) => snapshots.openFile(input),
      'snapshots:export': (input) => snapshots.export(input),
      'snapshots:compare': (input) => snapshots.compare(input.before, input.after),
      'snapshots:compare-items': (input) => snapshots.compareItems(input),
      'snapshots:compare-export': (input) => snapshots.compareExport(input.compareId),
      'uploads:begin': (input) => uploads.begin(input.name, input.bytes),
      'uploads:chunk': (input) => uploads.chunk(input.uploadId, input.offset, input.data),
      'uploads:finish': (input) => uploads.finish(input.uploadId),
    },
    knownSecrets,
    log,
    async (input) => {
      const { tenantId, id } = (input ?? {}) as { tenantId?: unknown; id?: unknown };
      const tenant = typeof tenantId === 'string' ? tenantId : typeof id === 'string' ? id : null;
      if (tenant) await localTenantService.settled(tenant);
    },
  );
  emit = router.emit;
  // Work of earlier runs: a task that was running when Tenant Desk stopped is "interrupted", offered for resume.
  tasks.load();
  // The local tenant of an earlier run comes back with the app, in the background.
  localTenantService.resume();
  // Writes a stopped run left pending are read back from their tenants, in the background.
  const recovered = resolveInterruptedWrites({
    audit,
    api: async (tenantId) => {
      await localTenantService.settled(tenantId);
      return writes.api(tenantId);
    },
    task: (auditId) => tasks.auditResolution(auditId),
    log: (message, details) => log.write('info', message, details),
  }).catch((err: unknown) => {
    log.write('error', 'interrupted writes could not be resolved', {
      message: String((err as Error)?.message),
    });
    return [];
  });

  return {
    router: { channelNames: router.channelNames, invoke: router.invoke, subscribe: router.subscribe },
    tenants: service,
    downloads,
    localTenant: localTenantService,
    log,
    jobs,
    tasks,
    exports: exportsService,
    snapshots,
    recovered,
    async close() {
      log.write('info', 'stopping');
      await keychainChecked;
      await recovered;
      uploads.close();
      jobs.close();
      await tasks.close();
      await engine.close();
      await service.close();
      await audit.close();
      downloads.close();
      await localTenantService.stop();
    },
  };
}
