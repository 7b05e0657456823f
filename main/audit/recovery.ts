// At start: every write a stopped run left "pending" in the audit log is resolved. A single write is read back from
// its tenant by its operation (operations/registry.ts): applied, not applied, or unknown where its effect leaves nothing
// to read (an email, a link) or the tenant can't be asked. A bulk job's or an import's own entry says where that work
// stands (it is offered for resume). Each resolution is appended under the write's id, in words.
import type { AuditEntry, AuditResolution } from '../../preload/contract.js';
import type { TenantApi } from '../operations/operation.js';
import { operationNamed } from '../operations/registry.js';
import { classify } from '../errors.js';
import { processAlive } from '../fs/sweep.js';
import { withRequestPolicy } from '../scheduler/rate-scheduler.js';
import type { AuditLog } from './audit-log.js';

export interface Resolution {
  resolution: AuditResolution;
  words: string;
}

export interface RecoveryDeps {
  audit: AuditLog;
  /** The tenant a write was made on, once it can be asked (throws when its profile is gone). */
  api(tenantId: string): Promise<TenantApi>;
  /** Where a task (a bulk job) stands, for its own audit entry (found by that entry's id); null when none has it. */
  task(auditId: string): Promise<Resolution | null>;
  log(message: string, details: Record<string, unknown>): void;
  alive?: (pid: number) => boolean;
}

const APPLIED_WORDS: Record<AuditResolution, string> = {
  applied: 'the tenant shows it done',
  'not-applied': 'the tenant shows the state before it',
  unknown: 'it can\u2019t be told',
};

/** Codes that say the tenant can't be asked now: its other writes are not tried either. */
const UNREACHABLE = new Set([
  'network',
  'timeout',
  'tls',
  'unauthorized',
  'no_secret',
  'keychain_locked',
  'keychain_unavailable',
]);

export async function resolveInterruptedWrites(deps: RecoveryDeps): Promise<AuditEntry[]> {
  const pending = await deps.audit.interrupted(deps.alive ?? processAlive);
  const unreachable = new Map<string, string>();
  const out: AuditEntry[] = [];
  for (const e of pending) {
    let r: Resolution;
    try {
      r = await resolveOne(deps, e, unreachable);
    } catch (err) {
      const why = classify(err);
      if (UNREACHABLE.has(why.code)) unreachable.set(e.tenantId, why.message);
      r = { resolution: 'unknown', words: `it could not be read back (${why.message})` };
    }
    out.push(
      deps.audit.resolve(
        e,
        r.resolution,
        `Tenant Desk stopped while this was under way; at the next start, ${r.words}.`,
      ),
    );
  }
  // Resolved means on disk.
  await deps.audit.flush();
  if (out.length)
    deps.log('interrupted writes resolved', {
      count: out.length,
      applied: out.filter((e) => e.resolution === 'applied').length,
      notApplied: out.filter((e) => e.resolution === 'not-applied').length,
      unknown: out.filter((e) => e.resolution === 'unknown').length,
    });
  return out;
}

async function resolveOne(
  deps: RecoveryDeps,
  e: AuditEntry,
  unreachable: Map<string, string>,
): Promise<Resolution> {
  const task = await deps.task(e.id);
  if (task) return task;
  if (e.jobId && e.action.startsWith('bulk.'))
    return { resolution: 'unknown', words: 'its job can no longer be found' };
  if (e.action === 'users.import')
    return { resolution: 'unknown', words: 'its import can no longer be found' };
  const op = operationNamed(e.op);
  if (!op)
    return {
      resolution: 'unknown',
      words: 'it was recorded by an earlier version without what reading it back needs: check the tenant',
    };
  const readBack = op.readBack;
  if (typeof readBack !== 'function') return { resolution: 'unknown', words: readBack.cannot };
  const down = unreachable.get(e.tenantId);
  if (down) return { resolution: 'unknown', words: `it could not be read back (${down})` };
  const api = await deps.api(e.tenantId);
  const read = await withRequestPolicy({ lane: 'job' }, () => readBack(api, e));
  return {
    resolution: read.resolution,
    words: `${APPLIED_WORDS[read.resolution]}${read.detail ? `; ${read.detail}` : ''}`,
  };
}
