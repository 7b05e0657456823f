// The one path every write to a tenant takes, for a single user or a bulk job: production guard → before-state →
// audit (pending) → the request through the tenant's scheduler in the caller's lane → audit (outcome). Nothing
// writes to a tenant any other way. An operation says what it does; this file says how every write is done.
import type { AuditLog } from '../audit/audit-log.js';
import { classify } from '../errors.js';
import { withRequestPolicy, type Lane } from '../scheduler/rate-scheduler.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { enforceGuard } from './guard.js';
import {
  actionOf,
  riskOf,
  SkipWrite,
  type Operation,
  type OperationInput,
  type TenantApi,
} from './operation.js';

export { SkipWrite, type TenantApi };

export interface RunOptions<B = unknown> {
  lane?: Lane;
  /** The bulk job this write is part of (recorded with its audit entry). */
  jobId?: string;
  /** The incident response this write is part of (recorded with its audit entry). */
  incidentId?: string;
  /**
   * Set by a bulk job or an import for its writes: the guard judged the whole work once, when it started (on a
   * production tenant with the domain and the number of users typed back), so its writes are not judged one by one.
   */
  judgedAtStart?: boolean;
  /** The before-state as a bulk plan already read it: the operation does not read it again. */
  before?: B;
  /** Called with the audit id once the write is recorded as pending, just before it is sent. */
  onSend?: (auditId: string) => void | Promise<void>;
  /** Nothing to do once the before-state is read (a bulk job's "no brute-force block"): skipped, nothing sent. */
  skipIf?: (before: B) => string | null;
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

  async run<I extends OperationInput, B, R>(
    op: Operation<I, B, R>,
    input: I,
    options: RunOptions<B> = {},
  ): Promise<R> {
    const profile = this.tenants.stored(input.tenantId);
    const entry = {
      tenantId: profile.id,
      tenantDomain: profile.domain,
      action: actionOf(op, input),
      target: op.target(input),
      op: op.name,
      ...(options.jobId ? { jobId: options.jobId } : {}),
      ...(options.incidentId ? { incidentId: options.incidentId } : {}),
    };
    if (!options.judgedAtStart)
      enforceGuard(
        this.audit,
        riskOf(op, input),
        {
          tenantId: profile.id,
          environment: profile.environment,
          domain: profile.domain,
          requireReason: profile.requireReason ?? false,
        },
        input as never,
        entry,
        { count: op.guardCount?.(input) },
      );
    const lane = options.lane ?? 'interactive';
    let auditId: string | null = null;
    let auditBefore: unknown;
    try {
      const api = this.api(input.tenantId);
      const before =
        options.before !== undefined
          ? options.before
          : op.before
            ? await withRequestPolicy({ lane }, () => op.before!(api, input))
            : (undefined as B);
      const skip = options.skipIf?.(before);
      if (skip) throw new SkipWrite(skip);
      auditBefore = op.audit?.before?.(before, input);
      const intent = op.intent?.(input, before);
      const pending = this.audit.begin({
        ...entry,
        ...(auditBefore !== undefined ? { before: auditBefore } : {}),
        ...(intent !== undefined ? { intent } : {}),
      });
      auditId = pending.id;
      // Nothing is sent before its intent is on disk.
      await pending.written;
      await options.onSend?.(auditId);
      const result = await withRequestPolicy({ lane, idempotent: op.mayRepeat }, () =>
        op.apply(api, input, before),
      );
      const after = op.audit?.after?.(result, input, before);
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
