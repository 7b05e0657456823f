// Insights: one chart at a time, over a snapshot (counted by its store, one call of the offline worker per chart,
// no tenant needed) or the live tenant (each bar one Auth0 search with include_totals and a page of one, at the
// tenant's rate through its scheduler, in the job lane so the user's own clicks go first). A chart is a handful of
// requests, so the window asks chart by chart: that is its progress, and stopping between charts its cancel — no task
// is needed for reads that change nothing and are simply asked again.
import type { ManagementClient } from 'auth0';
import type { InsightBar, InsightChart, InsightChartId } from '../../preload/contract.js';
import { readMemberCount } from '../roles/role-reads.js';
import { withRequestPolicy } from '../scheduler/rate-scheduler.js';
import type { SnapshotService } from '../snapshots/snapshot-service.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { readConnections } from '../users/user-reads.js';
import {
  CHART_INFO,
  connectionQuery,
  fixedBars,
  MAX_CATEGORIES,
  roleQuery,
  type BarQuery,
} from './charts.js';

const FACET_FIELDS: Partial<Record<InsightChartId, string>> = {
  connections: 'identities.connection',
  roles: 'roles',
};

export class Insights {
  constructor(
    private readonly d: {
      snapshots: SnapshotService;
      tenants: TenantService;
      now?: () => Date;
    },
  ) {}

  private chart(
    id: InsightChartId,
    asOf: string,
    bars: InsightBar[],
    note: string | null,
    requests: number,
    started: number,
  ): InsightChart {
    return { id, ...CHART_INFO[id], bars, note, asOf, requests, ms: Math.round(performance.now() - started) };
  }

  /** A chart over a snapshot: its categories are the store's most held keys (each count a `field:"key"` total). */
  async snapshotChart(snapshotId: string, id: InsightChartId): Promise<InsightChart> {
    const started = performance.now();
    const facet = FACET_FIELDS[id];
    let fixed: BarQuery[] = [];
    const r = await this.d.snapshots.counts(snapshotId, (createdAt) => {
      if (facet) return { queries: [], facets: [{ field: facet, limit: MAX_CATEGORIES + 1 }] };
      fixed = fixedBars(id as Exclude<InsightChartId, 'connections' | 'roles'>, new Date(createdAt));
      return { queries: fixed.map((b) => b.q), facets: [] };
    });
    if (!facet)
      return this.chart(
        id,
        r.createdAt,
        fixed.map((b, i) => ({ ...b, count: r.totals[i]! })),
        null,
        0,
        started,
      );
    const keys = r.facets[facet] ?? [];
    const bars = keys.slice(0, MAX_CATEGORIES).map((k) => ({
      label: k.key,
      q: id === 'roles' ? roleQuery(k.key) : connectionQuery(k.key),
      count: k.count,
    }));
    const note =
      keys.length > MAX_CATEGORIES
        ? `The ${MAX_CATEGORIES} most held are shown.`
        : id === 'roles' && keys.length === 0
          ? 'No user of this snapshot holds a role — or it was taken without roles (export with “With each user’s roles” to keep them).'
          : null;
    return this.chart(id, r.createdAt, bars, note, 0, started);
  }

  /** A chart over the live tenant: every bar one search total; connections and roles listed first. */
  async liveChart(tenantId: string, id: InsightChartId): Promise<InsightChart> {
    const started = performance.now();
    const connection = this.d.tenants.connection(tenantId);
    const api = connection.management;
    const asOf = (this.d.now?.() ?? new Date()).toISOString();
    let requests = 0;
    const counted = <T>(f: () => Promise<T>) => {
      requests++;
      return withRequestPolicy({ lane: 'job', idempotent: true }, f);
    };
    const totals = (bars: BarQuery[]) =>
      Promise.all(bars.map(async (b) => ({ ...b, count: await counted(() => searchTotal(api, b.q)) })));

    if (id === 'roles') {
      const roles: { id: string; name: string }[] = [];
      for await (const role of await counted(() => api.roles.list({ per_page: 100 }))) {
        roles.push({ id: String(role.id), name: String(role.name) });
        if (roles.length > MAX_CATEGORIES) break;
      }
      const shown = roles.slice(0, MAX_CATEGORIES);
      const domain = this.d.tenants.stored(tenantId).domain;
      const bars = await Promise.all(
        shown.map(async (role) => ({
          label: role.name,
          q: null,
          roleId: role.id,
          count: (await counted(() => readMemberCount(api, domain, role.id))) ?? 0,
        })),
      );
      bars.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
      const note = [
        roles.length > MAX_CATEGORIES ? `The first ${MAX_CATEGORIES} roles are shown.` : null,
        roles.length === 0 ? 'This tenant has no role.' : null,
      ]
        .filter(Boolean)
        .join(' ');
      return this.chart(id, asOf, bars, note || null, requests, started);
    }
    if (id === 'connections') {
      requests++;
      const connections = await withRequestPolicy({ lane: 'job', idempotent: true }, () =>
        readConnections(api),
      );
      const names = [...new Set(connections.map((c) => c.name))].sort((a, b) => a.localeCompare(b));
      const bars = await totals(
        names.slice(0, MAX_CATEGORIES).map((name) => ({ label: name, q: connectionQuery(name) })),
      );
      bars.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
      const note =
        names.length > MAX_CATEGORIES ? `The first ${MAX_CATEGORIES} connections are shown.` : null;
      return this.chart(id, asOf, bars, note, requests, started);
    }
    const bars = await totals(fixedBars(id, new Date(asOf)));
    return this.chart(id, asOf, bars, null, requests, started);
  }
}

/** How many users match a query: Auth0's total for a page of one. */
async function searchTotal(api: ManagementClient, q: string): Promise<number> {
  const page = await api.users.list({
    q,
    search_engine: 'v3',
    page: 0,
    per_page: 1,
    include_totals: true,
    fields: 'user_id',
    include_fields: true,
  });
  const body = page.response as { total?: number; users?: unknown[] };
  return body.total ?? page.data.length;
}
