// Wires the services of main for one data dir. Both hosts create the app the same way; no service knows its host.
import { mkdirSync } from 'node:fs';
import { sweepTemporary } from './fs/sweep.js';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { userInfo } from 'node:os';
import { AuditLog } from './audit/audit-log.js';
import { resolveInterruptedWrites } from './audit/recovery.js';
import { tenantOf, type AuditEntry } from '../preload/contract.js';
import { WritePath } from './operations/write-path.js';
import { DiagnosticsLog } from './diagnostics/diagnostics-log.js';
import { DownloadStore, type Download } from './downloads/download-store.js';
import { incidentEnvelope } from './diagnostics/incident.js';
import { ExportService } from './exports/export-service.js';
import { JobsService } from './jobs/jobs-service.js';
import { TaskEngine } from './tasks/engine.js';
import { OfflineEngine } from './offline/offline-engine.js';
import type { SnapshotBuilder } from './snapshots/snapshot-file.js';
import { SnapshotService } from './snapshots/snapshot-service.js';
import { UploadStore } from './uploads/upload-store.js';
import { createRouter, type Router } from './router.js';
import { forkLocalTenant, type LocalTenantLauncher } from './local-tenant/launcher.js';
import { LocalTenantService } from './local-tenant/local-tenant-service.js';
import type { SchedulerOptions } from './scheduler/rate-scheduler.js';
import { ProfileStore } from './tenants/profile-store.js';
import { TenantService } from './tenants/tenant-service.js';
import { PrefsStore } from './prefs/prefs-store.js';
import { auditHandlers } from './audit/handlers.js';
import { crossHandlers } from './cross/handlers.js';
import { exportsHandlers } from './exports/handlers.js';
import { importsHandlers } from './imports/handlers.js';
import { insightsHandlers } from './insights/handlers.js';
import { Insights } from './insights/insights.js';
import { bulkHandlers } from './jobs/handlers.js';
import { logsHandlers } from './logs/handlers.js';
import { rolesHandlers } from './roles/handlers.js';
import { shellHandlers } from './shell/handlers.js';
import { snapshotsHandlers } from './snapshots/handlers.js';
import { reviewsHandlers } from './reviews/handlers.js';
import { ReviewService } from './reviews/review-service.js';
import { tasksHandlers } from './tasks/handlers.js';
import { tenantsHandlers } from './tenants/handlers.js';
import { accessHandlers } from './users/access-handlers.js';
import { organizationsHandlers } from './organizations/handlers.js';
import { usersHandlers } from './users/handlers.js';
import { IncidentResponse } from './users/incident.js';
import { LogReads } from './logs/log-reads.js';
import { UserReads } from './users/user-reads.js';
import { CrossTenant } from './cross/cross-tenant.js';
import { CrossOrganizations } from './cross/cross-organizations.js';
import { ImportService } from './imports/import-service.js';
import { RoleAdmin } from './roles/role-admin.js';
import { KEYCHAIN_SERVICE, KeyringVault, SecretStore, type CredentialVault } from './vault/index.js';
import { legacySecretsFor, type LegacySecrets } from './vault/keytar-legacy.js';
import { migrateKeytarSecrets } from './vault/migrate-keytar.js';

export interface AppOptions {
  dataDir: string;
  /** Which face: the Electron window, the browser host, or the command line (its writes are audited as such). */
  host: 'electron' | 'browser' | 'cli';
  /** The command line: a secret from the environment for a tenant whose keychain entry this machine lacks. */
  secretFallback?: () => string | null;
  /** Whether the local tenant of an earlier run is started again (not by the command line: the window owns it). */
  resumeLocalTenant?: boolean;
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
  /** How snapshots are built (a Node child process by default; the Electron app's utility process). */
  snapshotBuilder?: SnapshotBuilder;
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
  const secrets = new SecretStore(options.vault ?? new KeyringVault(), options.secretFallback);
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
    options.host === 'cli' ? 'command-line' : undefined,
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
  /** A failure of background work (a task) as the window shows it, logged with an incident id like a request's. */
  const envelope = (err: unknown, what: string) =>
    incidentEnvelope(err, knownSecrets(), log, `${what} failed`);
  const engine = new OfflineEngine(options.offlineWorker, undefined, options.snapshotBuilder);
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
  const reviews = new ReviewService({ engine, downloads, snapshots, tasks, envelope });
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
  const crossOrganizations = new CrossOrganizations({ tenants: service, tasks, envelope });

  const router = createRouter(
    {
      ...shellHandlers({
        version: options.version,
        host: options.host,
        dataDir: options.dataDir,
        firstRun: () => {
          try {
            return service.list().length === 0;
          } catch {
            return true;
          }
        },
        keychainStatus: async () => {
          await keychainChecked;
          const missing = secrets.missingSecrets();
          return {
            ...(await secrets.keychain.status()),
            ...(missing.length ? { missingSecrets: missing } : {}),
          };
        },
        prefs,
        uploads,
        downloads,
        chooseSavePath: options.chooseSavePath,
      }),
      ...tenantsHandlers({ tenants: service, localTenant: localTenantService }),
      ...auditHandlers({ audit, downloads }),
      ...usersHandlers({ users, writes }),
      ...accessHandlers({
        tenants: service,
        writes,
        incidents: new IncidentResponse(service, writes, audit),
      }),
      ...logsHandlers({ logs }),
      ...organizationsHandlers({ tenants: service, writes, downloads }),
      ...bulkHandlers({ jobs }),
      ...tasksHandlers({ tasks }),
      ...rolesHandlers({ roleAdmin, writes }),
      ...importsHandlers({ imports }),
      ...crossHandlers({ cross, organizations: crossOrganizations }),
      ...exportsHandlers({ exports: exportsService }),
      ...snapshotsHandlers({ snapshots }),
      ...insightsHandlers({ insights: new Insights({ snapshots, tenants: service }) }),
      ...reviewsHandlers({ reviews }),
    },
    knownSecrets,
    log,
    // A request bound to a tenant waits while that tenant (a local one) is restarting.
    async (channel, input) => {
      const tenant = tenantOf(channel, input);
      if (tenant) await localTenantService.settled(tenant);
    },
  );
  emit = router.emit;
  // Work of earlier runs: a task that was running when Tenant Desk stopped is "interrupted", offered for resume.
  tasks.load();
  // The local tenant of an earlier run comes back with the app, in the background.
  if (options.resumeLocalTenant !== false) localTenantService.resume();
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
  tasks.waitBeforeResuming(recovered);

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
