// The production guard in main: the contract's one policy (guardLevel), enforced for every write channel whatever
// the window did, with every refusal written to the audit log.
import {
  guardLevel,
  guardSatisfied,
  type GuardAnswer,
  type RiskInput,
  type WriteChannel,
} from '../../preload/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import { AppError } from '../errors.js';

export interface GuardedTarget {
  tenantId: string;
  environment: 'production' | 'staging' | 'development' | 'custom';
  domain: string;
}

export function enforceGuard<C extends WriteChannel>(
  audit: AuditLog,
  channel: C,
  tenant: GuardedTarget,
  input: RiskInput<C> & { guard?: GuardAnswer },
  entry: { action: string; target: string | null; jobId?: string },
  /** How many users the write changes, where the guard asks for the count typed back. */
  count?: number,
): void {
  const level = guardLevel(channel, tenant.environment, input);
  if (guardSatisfied(level, tenant.domain, input.guard, count)) return;
  const error =
    level === 'typed-domain'
      ? new AppError(
          'confirmation_required',
          `This is a production tenant. Type its domain (${tenant.domain}) to confirm.`,
          { details: { level, domain: tenant.domain } },
        )
      : new AppError('confirmation_required', 'This is a production tenant: confirm this change first.', {
          details: { level, domain: tenant.domain },
        });
  audit.record({
    tenantId: tenant.tenantId,
    tenantDomain: tenant.domain,
    action: entry.action,
    target: entry.target,
    outcome: 'refused',
    error: error.message,
    ...(entry.jobId ? { jobId: entry.jobId } : {}),
  });
  throw error;
}
