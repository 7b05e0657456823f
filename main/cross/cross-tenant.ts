// Work across tenants: one query asked of several tenants at once, and two tenants' users compared. Each tenant is
// asked through its own connection, so each keeps its own rate limit, and one that fails (down, refusing the
// grant, rate-limited) is reported beside the others' answers instead of failing the whole question.
import { performance } from 'node:perf_hooks';
import type {
  ChannelParsedInput,
  CompareSummary,
  CrossSearchResult,
  ErrorEnvelope,
  ExportField,
  ExportStatus,
} from '../../preload/contract.js';
import { AppError } from '../errors.js';
import type { ExportService } from '../exports/export-service.js';
import { checkQuery } from '../query-check.js';
import type { SnapshotService } from '../snapshots/snapshot-service.js';
import type { TenantService } from '../tenants/tenant-service.js';
import type { UserReads } from '../users/user-reads.js';

export interface CrossTenantOptions {
  tenants: TenantService;
  users: UserReads;
  exports: ExportService;
  snapshots: SnapshotService;
  envelope: (err: unknown, what: string) => ErrorEnvelope;
}

export class CrossTenant {
  constructor(private readonly o: CrossTenantOptions) {}

  async search(input: ChannelParsedInput<'cross:search'>): Promise<{ results: CrossSearchResult[] }> {
    // One query for all: a malformed one is refused before any tenant is asked.
    checkQuery(input.q);
    for (const id of input.tenantIds) this.o.tenants.stored(id);
    const results = await Promise.all(
      input.tenantIds.map(async (tenantId): Promise<CrossSearchResult> => {
        const started = performance.now();
        const ms = () => Math.round(performance.now() - started);
        try {
          const r = await this.o.users.search({
            tenantId,
            q: input.q,
            page: 0,
            perPage: input.perTenant,
            ...(input.sort ? { sort: input.sort } : {}),
          });
          return { tenantId, ok: true, users: r.users, total: r.total, capped: r.capped, ms: ms() };
        } catch (err) {
          return { tenantId, ok: false, error: this.o.envelope(err, 'cross-tenant search'), ms: ms() };
        }
      }),
    );
    return { results };
  }

  /**
   * A fresh snapshot of each tenant (their exports run side by side, each at its tenant's pace), then the two
   * matched by the key and compared over the chosen fields. Both snapshots stay in the Snapshots screen.
   */
  async compare(input: ChannelParsedInput<'cross:compare'>): Promise<CompareSummary> {
    const a = this.o.tenants.stored(input.tenantA);
    const b = this.o.tenants.stored(input.tenantB);
    const names = [...new Set(['user_id', 'email', input.key, ...input.fields])];
    const fields: ExportField[] = names.map((name) => ({ name }));
    const snapshot = (tenantId: string, side: 'a' | 'b') =>
      this.o.exports.complete({
        tenantId,
        exportId: `${input.runId}-${side}`,
        source: { kind: 'tenant' },
        fields,
        format: 'ndjson',
        bom: false,
        keepSnapshot: true,
        includeOrganizations: false,
        includeRoles: false,
      });
    const [sa, sb] = await Promise.all([snapshot(a.id, 'a'), snapshot(b.id, 'b')]);
    const failure = (s: ExportStatus, label: string) =>
      s.phase === 'cancelled'
        ? new AppError('validation', `The snapshot of ${label} was cancelled, so nothing was compared.`)
        : new AppError(
            s.error?.code ?? 'internal',
            `The snapshot of ${label} failed: ${s.error?.message ?? 'no reason given'}`,
            s.error?.retryable ? { retryable: true } : {},
          );
    if (!sa.snapshot) throw failure(sa, a.label);
    if (!sb.snapshot) throw failure(sb, b.label);
    return this.o.snapshots.compare(sa.snapshot.id, sb.snapshot.id, {
      key: input.key,
      fields: input.fields,
    });
  }
}
