// The one path every write to a tenant takes, for a single user or a bulk job: production guard → before-state →
// audit (pending) → the request through the tenant's scheduler in the caller's lane → audit (outcome). Nothing
// writes to a tenant any other way. A command says what it does; this file says how every write is done.
import type { ManagementClient } from 'auth0';
import type { GuardAnswer, WriteChannel } from '../../preload/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { TenantConnection } from '../auth0/tenant-connection.js';
import { AppError, classify } from '../errors.js';
import type { PendingWrite, ReadBack } from './read-back.js';
import { withRequestPolicy, type Lane } from '../scheduler/rate-scheduler.js';
import type { StoredProfile } from '../tenants/profile-store.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { enforceGuard } from './guard.js';

/**
 * Thrown by a command's before-read when the write must not be sent after all (a bulk job's user changed since the
 * plan, or is already as asked): nothing was sent, so nothing is audited; the caller records why it skipped.
 */
export class SkipWrite extends AppError {
  constructor(
    message: string,
    /** The user's state as read, for the job's results. */
    readonly now?: unknown,
  ) {
    super('conflict', message);
  }
}

/** What a command may use: the tenant it was made for, and nothing else. */
export interface TenantApi {
  profile: StoredProfile;
  connection: TenantConnection;
  management: ManagementClient;
}

export interface WriteCommand<I, B, R> {
  /** Its name in the registry (commands/registry.ts), recorded with each pending write so a later run can read it back. */
  id: string;
  channel: WriteChannel;
  /** The audit log's name for it, e.g. `user.block`. */
  action: string | ((input: I) => string);
  target(input: I): string | null;
  /** Sending it twice has the effect of sending it once: safe to repeat after a 5xx, a timeout or a lost answer. */
  idempotent: boolean;
  /** A write made for many users at once (a part of an import): how many, for the production guard's count. */
  guardCount?(input: I): number;
  /** Reads what the write needs to know first (and what undoing it needs); audited as its before-state. */
  before?(api: TenantApi, input: I): Promise<B>;
  apply(api: TenantApi, input: I, before: B): Promise<R>;
  audit?: { before?(before: B, input: I): unknown; after?(result: R, input: I, before: B): unknown };
  /**
   * What the write means to do, recorded with its pending audit entry (never a password or a link): what readBack
   * compares the tenant with after a crash.
   */
  intent?(input: I, before: B): unknown;
  /**
   * After Tenant Desk stopped while this write was being sent: whether the tenant shows it applied, not applied, or
   * can't tell. Absent where the effect leaves nothing to read (an email, a link): the write stays "unknown".
   */
  readBack?(api: TenantApi, entry: PendingWrite): Promise<ReadBack>;
}

export interface RunOptions<B = unknown> {
  lane?: Lane;
  jobId?: string;
  /** The before-state as a bulk plan already read it: the command does not read it again. */
  before?: B;
  /** Called with the audit id once the write is recorded as pending, just before it is sent. */
  onSend?: (auditId: string) => void | Promise<void>;
}

export class WritePath {
  constructor(
    private readonly tenants: TenantService,
    private readonly audit: AuditLog,
  ) {}

  api(tenantId: string): TenantApi {
    const connection = this.tenants.connection(tenantId);
    return { profile: this.tenants.stored(tenantId), connection, management: connection.management };
  }

  async run<I extends { tenantId: string; guard?: GuardAnswer }, B, R>(
    command: WriteCommand<I, B, R>,
    input: I,
    options: RunOptions<B> = {},
  ): Promise<R> {
    const profile = this.tenants.stored(input.tenantId);
    const entry = {
      tenantId: profile.id,
      tenantDomain: profile.domain,
      action: typeof command.action === 'function' ? command.action(input) : command.action,
      target: command.target(input),
      ...(options.jobId ? { jobId: options.jobId } : {}),
    };
    enforceGuard(
      this.audit,
      command.channel,
      { tenantId: profile.id, environment: profile.environment, domain: profile.domain },
      input as never,
      entry,
      command.guardCount?.(input),
    );
    const lane = options.lane ?? 'interactive';
    let auditId: string | null = null;
    let auditBefore: unknown;
    try {
      const api = this.api(input.tenantId);
      const before =
        options.before !== undefined
          ? options.before
          : command.before
            ? await withRequestPolicy({ lane }, () => command.before!(api, input))
            : (undefined as B);
      auditBefore = command.audit?.before?.(before, input);
      const intent = command.intent?.(input, before);
      const pending = this.audit.begin({
        ...entry,
        ...(auditBefore !== undefined ? { before: auditBefore } : {}),
        op: command.id,
        ...(intent !== undefined ? { intent } : {}),
      });
      auditId = pending.id;
      // Nothing is sent before its intent is on disk.
      await pending.written;
      await options.onSend?.(auditId);
      const result = await withRequestPolicy({ lane, idempotent: command.idempotent }, () =>
        command.apply(api, input, before),
      );
      const after = command.audit?.after?.(result, input, before);
      this.audit.finish(auditId, {
        ...entry,
        outcome: 'success',
        ...(auditBefore !== undefined ? { before: auditBefore } : {}),
        ...(after !== undefined ? { after } : {}),
      });
      return result;
    } catch (err) {
      if (err instanceof SkipWrite && !auditId) throw err;
      const failed = {
        ...entry,
        outcome: 'failure' as const,
        error: classify(err).message,
        ...(auditBefore !== undefined ? { before: auditBefore } : {}),
      };
      if (auditId) this.audit.finish(auditId, failed);
      else this.audit.record(failed);
      throw err;
    }
  }
}
