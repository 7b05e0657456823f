// The command line's session: the same app the window talks to (createApp: the same services, data directory,
// keychain, router, guard, audit and task engine), asked through the same contract — every request validated by the
// router, every write through the one write path. Nothing here re-implements a feature; it only turns a command into
// requests and their answers into words or JSON.
import {
  hasReason,
  takesReason,
  type Reason,
  type ChannelInput,
  type ChannelName,
  type ChannelOutput,
  type ErrorEnvelope,
  type GuardAnswer,
  type TaskSummary,
  type TenantProfile,
} from '../../preload/contract.js';
import { createApp, type App } from '../app.js';

/** The exit codes, as the README lists them. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  /** The production guard refused (a missing or wrong --confirm / --count); audited as refused. */
  refused: 3,
  /** The work finished, and some users failed (their outcomes are in the results). */
  someFailed: 4,
} as const;

/** A command that cannot go on: its words for stderr (or the JSON document), and its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly error?: ErrorEnvelope,
  ) {
    super(message);
  }
}

export function errorExit(error: ErrorEnvelope): number {
  return error.code === 'confirmation_required' ? EXIT.refused : EXIT.failed;
}

export interface SessionOptions {
  dataDir: string;
  version: string;
  /** TENANT_DESK_CLIENT_SECRET: for a tenant whose keychain entry this machine lacks, this run only. */
  envSecret?: string | undefined;
  /** --reason-ticket / --reason: why this command's writes are made (kept in their audit entries). */
  reason?: Reason | undefined;
}

export class Session {
  private constructor(
    readonly app: App,
    private readonly reason?: Reason,
  ) {}

  static async open(o: SessionOptions): Promise<Session> {
    const app = await createApp({
      dataDir: o.dataDir,
      host: 'cli',
      version: o.version,
      // The window owns the local tenant's process; the command line uses it when it runs.
      resumeLocalTenant: false,
      ...(o.envSecret ? { secretFallback: () => o.envSecret ?? null } : {}),
    });
    return new Session(app, hasReason(o.reason) ? o.reason : undefined);
  }

  /** One request through the router, as the window sends it; a refusal becomes a CliError with its exit code. */
  async call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
    // A write to a tenant carries the command's reason, as the window sends the one typed in its dialog.
    const payload =
      this.reason && takesReason(channel) ? { ...(input as object), reason: this.reason } : input;
    const r = await this.app.router.invoke(channel, payload);
    if (!r.ok) throw new CliError(r.error.message, errorExit(r.error), r.error);
    return r.data as ChannelOutput<C>;
  }

  /** A tenant by its id, label or domain (case does not matter). */
  async tenant(ref: string): Promise<TenantProfile> {
    const list = await this.call('tenants:list', {});
    const want = ref.trim().toLowerCase();
    const found = list.filter(
      (t) => t.id === ref || t.label.toLowerCase() === want || t.domain.toLowerCase() === want,
    );
    if (found.length === 1) return found[0]!;
    if (found.length > 1)
      throw new CliError(
        `"${ref}" names ${found.length} tenants (${found.map((t) => `${t.label} ${t.id}`).join(', ')}): use its id.`,
        EXIT.usage,
      );
    throw new CliError(
      list.length
        ? `No tenant "${ref}". Tenants: ${list.map((t) => `${t.label} (${t.domain})`).join(', ')}.`
        : `No tenant "${ref}": none is set up yet. Add one with: tenant-desk tenants add --help`,
      EXIT.usage,
    );
  }

  /** `all-<environment>` (e.g. all-production): every tenant of that tag; otherwise the one tenant named. */
  async tenants(ref: string): Promise<TenantProfile[]> {
    const m = /^all-(production|staging|development|custom)$/i.exec(ref.trim());
    if (!m) return [await this.tenant(ref)];
    const env = m[1]!.toLowerCase();
    const list = (await this.call('tenants:list', {})).filter((t) => t.environment === env);
    if (!list.length) throw new CliError(`No tenant is tagged ${env}.`, EXIT.usage);
    return list;
  }

  /**
   * The guard answer the command line gives: on a production tenant, what --confirm (its domain) and --count say;
   * without --confirm nothing is confirmed there, and main refuses and audits it (exit code 3).
   */
  guard(tenant: TenantProfile, o: { confirm?: string; count?: number }): GuardAnswer {
    if (tenant.environment !== 'production') return { confirmed: true };
    if (!o.confirm) return undefined;
    return {
      confirmed: true,
      typedDomain: o.confirm,
      ...(o.count !== undefined ? { typedCount: o.count } : {}),
    };
  }

  /**
   * Follows a task until it is no longer running here (ended, paused, or interrupted by a stop), calling `progress`
   * with each summary. Events come from the engine; a read every second covers what no event says.
   */
  async follow(taskId: string, progress: (t: TaskSummary) => void = () => undefined): Promise<TaskSummary> {
    let last = await this.call('tasks:get', { taskId });
    progress(last);
    if (last.status !== 'running') return last;
    return await new Promise<TaskSummary>((resolve, reject) => {
      let done = false;
      const finish = (t: TaskSummary) => {
        if (done) return;
        done = true;
        unsubscribe();
        clearInterval(timer);
        resolve(t);
      };
      const seen = (t: TaskSummary) => {
        last = t;
        progress(t);
        if (t.status !== 'running' && !t.reason?.startsWith('Running in another')) finish(t);
      };
      const unsubscribe = this.app.router.subscribe((event, payload) => {
        if (event === 'task:progress' && (payload as TaskSummary).id === taskId) seen(payload as TaskSummary);
      });
      const timer = setInterval(() => {
        this.call('tasks:get', { taskId }).then(seen, (err: unknown) => {
          if (done) return;
          done = true;
          unsubscribe();
          clearInterval(timer);
          reject(err as Error);
        });
      }, 1000);
    });
  }

  /** A task by its id, or a bulk job by the plan it was started from (after a kill its id may never have been seen). */
  async task(ref: string): Promise<TaskSummary> {
    const list = await this.call('tasks:list', {});
    const byId = list.find((t) => t.id === ref);
    if (byId) return byId;
    const byPlan = list.filter((t) => t.detail.kind === 'bulk' && t.detail.job.planId === ref);
    if (byPlan.length) return byPlan[0]!; // newest first
    throw new CliError(
      `No job or task "${ref}" in this data directory (a plan that was never started has no job: run it with bulk run).`,
      EXIT.usage,
    );
  }

  /** Saves a file the app made (an export, results, a comparison) where the user asked. */
  save(downloadId: string, path: string): void {
    this.app.downloads.saveTo(downloadId, path);
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
