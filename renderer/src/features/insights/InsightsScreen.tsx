// The Insights screen (#24): charts of a tenant's users over a snapshot (offline, from its store) or the live tenant
// (Auth0's search totals) — by connection, verified, blocked, last login, sign-ups per month, logins, role holders.
// Each bar is a query: a click (or its count in the table view) opens exactly those users in the same table as ever.
import { useEffect, useId, useState } from 'react';
import {
  insightChartIds,
  type InsightChart,
  type InsightChartId,
  type SnapshotSummary,
} from '../../../../preload/contract';
import { count, day, when } from '../../format';
import { useAppStore } from '../../stores/app';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { SectionState } from '../../ui/SectionState';
import { useSnapshotsStore } from '../snapshots/store';
import { useTenantsStore } from '../tenants/store';
import { ChartCanvas } from './InsightChartView';
import { sourceKey, useInsightsStore, type InsightSource } from './store';

export default function InsightsScreen() {
  const list = useSnapshotsStore((s) => s.list);
  const loadSnapshots = useSnapshotsStore((s) => s.load);
  useEffect(() => {
    void loadSnapshots();
  }, [loadSnapshots]);
  return (
    <section className="insights-screen screen" aria-labelledby="insights-title">
      <div className="section-head">
        <h1 id="insights-title">Insights</h1>
      </div>
      <SectionState value={list} what="the snapshots" retry={() => void loadSnapshots()}>
        {(snapshots) => <Insights snapshots={snapshots} />}
      </SectionState>
    </section>
  );
}

function Insights({ snapshots }: { snapshots: SnapshotSummary[] }) {
  const pickId = useId();
  const activeId = useAppStore((s) => s.activeTenantId);
  const tenants = useTenantsStore((s) => s.tenants);
  const openSnapshot = useSnapshotsStore((s) => s.openId);
  const s = useInsightsStore();
  const tenant = tenants.find((t) => t.id === activeId);

  const sources: { source: InsightSource; label: string }[] = [
    ...(tenant
      ? [{ source: { kind: 'live', tenantId: tenant.id } as const, label: `Live tenant: ${tenant.label}` }]
      : []),
    ...snapshots.map((snap) => ({
      source: { kind: 'snapshot', snapshotId: snap.id } as const,
      label: `Snapshot: ${snap.tenantLabel} — ${when(snap.createdAt)} (${count(snap.count, 'user')})`,
    })),
  ];
  const current = sources.find((o) => sourceKey(o.source) === sourceKey(s.source));

  // First visit: the snapshot open on the Snapshots screen, else the newest one, else the live tenant — counting
  // live costs dozens of requests at the tenant's rate, so it is asked for, not done on the way past.
  useEffect(() => {
    if (current) return;
    const preferred =
      sources.find((o) => o.source.kind === 'snapshot' && o.source.snapshotId === openSnapshot) ??
      sources.find((o) => o.source.kind === 'snapshot') ??
      sources[0];
    if (preferred) void useInsightsStore.getState().count(preferred.source);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current, activeId, snapshots.length]);

  if (sources.length === 0)
    return (
      <p className="empty">
        Nothing to count yet: add a tenant, or keep a snapshot (Users → Export… → &ldquo;Keep these users as
        an offline snapshot&rdquo;) or open a users file on the Snapshots screen.
      </p>
    );
  const source = s.source;
  const snapshot =
    source?.kind === 'snapshot' ? snapshots.find((x) => x.id === source.snapshotId) : undefined;
  const requests = Object.values(s.charts).reduce((n, c) => n + c.requests, 0);
  const total = insightChartIds.length;

  return (
    <>
      <div className="insights-bar">
        <label htmlFor={pickId}>Counted over</label>
        <select
          id={pickId}
          value={sourceKey(s.source)}
          onChange={(e) => {
            const o = sources.find((x) => sourceKey(x.source) === e.target.value);
            if (o) void s.count(o.source);
          }}
        >
          {!current && <option value="">Choose…</option>}
          {sources.map((o) => (
            <option key={sourceKey(o.source)} value={sourceKey(o.source)}>
              {o.label}
            </option>
          ))}
        </select>
        {s.running ? (
          <button type="button" onClick={() => s.cancel()}>
            Cancel
          </button>
        ) : (
          s.source && (
            <button type="button" onClick={() => void s.count(s.source!)}>
              Count again
            </button>
          )
        )}
      </div>
      <p className="muted insights-about" role="status">
        {s.running
          ? `Counting… ${s.done} of ${total} charts. `
          : s.cancelled
            ? `Cancelled after ${s.done} of ${total} charts. `
            : ''}
        {s.source?.kind === 'snapshot'
          ? `Counted offline from the snapshot of ${snapshot ? when(snapshot.createdAt) : 'its date'}${snapshot ? ` (${count(snapshot.count, 'user')})` : ''}; ages and months are counted back from that day. No request goes to the tenant.`
          : s.source?.kind === 'live'
            ? `Live counts come from Auth0's user search (the total of each bar's query) and each role's member total: ${count(requests, 'request')} so far, at the tenant's rate. Ages and months are counted back from now.`
            : ''}
      </p>
      <div className="insights-grid">
        {insightChartIds.map((id) => (
          <ChartCard key={`${sourceKey(s.source)}:${id}`} id={id} />
        ))}
      </div>
    </>
  );
}

const PLACEHOLDER_TITLES: Record<InsightChartId, string> = {
  connections: 'Users by connection',
  verified: 'Email verified',
  blocked: 'Blocked',
  'last-login': 'Last login',
  signups: 'Sign-ups per month',
  logins: 'Logins per user',
  roles: 'Role holders',
};

function ChartCard({ id }: { id: InsightChartId }) {
  const chart = useInsightsStore((s) => s.charts[id]);
  const error = useInsightsStore((s) => s.errors[id]);
  const running = useInsightsStore((s) => s.running);
  const openBar = useInsightsStore((s) => s.openBar);
  const [table, setTable] = useState(false);
  const titleId = useId();
  const title = chart?.title ?? PLACEHOLDER_TITLES[id];
  return (
    <section className="insight-card" aria-labelledby={titleId}>
      <div className="insight-head">
        <h2 id={titleId}>{title}</h2>
        {chart && (
          <button type="button" aria-pressed={table} onClick={() => setTable(!table)}>
            Table
          </button>
        )}
      </div>
      {error ? (
        <ErrorMessage error={error} />
      ) : !chart ? (
        <p className="muted">{running ? 'Counting…' : 'Not counted.'}</p>
      ) : chart.bars.length === 0 ? (
        <p className="muted">No user to show.</p>
      ) : table ? (
        <ChartTable chart={chart} />
      ) : (
        <ChartCanvas chart={chart} onOpen={openBar} />
      )}
      {chart?.note && <p className="muted insight-note">{chart.note}</p>}
      {chart && (id === 'last-login' || id === 'signups') && (
        <p className="muted insight-note">Counted back from {day(chart.asOf)} (UTC days).</p>
      )}
    </section>
  );
}

function ChartTable({ chart }: { chart: InsightChart }) {
  const openBar = useInsightsStore((s) => s.openBar);
  const sum = chart.bars.reduce((n, b) => n + b.count, 0);
  return (
    <div className="table-wrap">
      <table className="insight-table">
        <caption className="visually-hidden">{chart.title}</caption>
        <thead>
          <tr>
            <th scope="col">
              {chart.id === 'connections' ? 'Connection' : chart.id === 'roles' ? 'Role' : 'Users'}
            </th>
            <th scope="col" className="num">
              Count
            </th>
            <th scope="col">Query</th>
          </tr>
        </thead>
        <tbody>
          {chart.bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              <td className="num">
                <button
                  type="button"
                  className="link"
                  aria-label={`Open the ${count(b.count, 'user')}: ${b.label}`}
                  onClick={() => openBar(b)}
                >
                  {count(b.count)}
                </button>
                {chart.kind === 'pie' && sum > 0 && (
                  <span className="muted"> ({Math.round((100 * b.count) / sum)}%)</span>
                )}
              </td>
              <td>{b.q ? <code>{b.q}</code> : <span className="muted">the role&rsquo;s members</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
