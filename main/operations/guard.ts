// The production guard in main: the contract's one policy (guardLevel), enforced for every write whatever the window
// did, with every refusal written to the audit log. It is judged here and nowhere else: once per single write (by the
// write path), once per bulk job or import at its start (with the number of users typed back).
import {
  guardLevel,
  guardSatisfied,
  type GuardAnswer,
  type RiskInput,
  type WriteChannel,
} from '../../preload/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import { AppError } from '../errors.js';
import { currentReason } from '../audit/reason-context.js';

export interface GuardedTarget {
  tenantId: string;
  environment: 'production' | 'staging' | 'development' | 'custom';
  domain: string;
  /** The tenant asks for a reason on every write (not given for changes to the console's own profile). */
  requireReason?: boolean;
}

export function enforceGuard<C extends WriteChannel>(
  audit: AuditLog,
  channel: C,
  tenant: GuardedTarget,
  input: (RiskInput<C> extends undefined ? unknown : RiskInput<C>) & { guard?: GuardAnswer },
  entry: { action: string; target: string | null; jobId?: string; op?: string },
  how: {
    /** How many users the write changes, where the guard asks for the count typed back. */
    count?: number | undefined;
    /** What typing them back does, in the refusal's words ("start", "import"). */
    verb?: string;
  } = {},
): void {
  if (tenant.requireReason && !currentReason()) {
    const error = new AppError(
      'confirmation_required',
      'This tenant asks for a reason on every write: give a ticket reference or a note.',
      { details: { reasonRequired: true } },
    );
    refuse(audit, tenant, entry, error);
  }
  const level = guardLevel(channel, tenant.environment, input as RiskInput<C>);
  const { count } = how;
  if (guardSatisfied(level, tenant.domain, input.guard, count)) return;
  const details = { level, domain: tenant.domain, ...(level === 'typed-domain-and-count' ? { count } : {}) };
  const message =
    level === 'typed-domain-and-count'
      ? `This is a production tenant. Type its domain (${tenant.domain}) and the number of users (${count}) to ${how.verb ?? 'confirm'}.`
      : level === 'typed-domain'
        ? `This is a production tenant. Type its domain (${tenant.domain}) to confirm.`
        : 'This is a production tenant: confirm this change first.';
  refuse(audit, tenant, entry, new AppError('confirmation_required', message, { details }));
}

/** A refusal, written to the audit log before it is thrown. */
function refuse(
  audit: AuditLog,
  tenant: GuardedTarget,
  entry: { action: string; target: string | null; jobId?: string; op?: string },
  error: AppError,
): never {
  audit.record({
    tenantId: tenant.tenantId,
    tenantDomain: tenant.domain,
    action: entry.action,
    target: entry.target,
    outcome: 'refused',
    error: error.message,
    ...(entry.jobId ? { jobId: entry.jobId } : {}),
    ...(entry.op ? { op: entry.op } : {}),
  });
  throw error;
}
