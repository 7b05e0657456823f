// Organizations across tenants. Find: tick tenants (each with its colour and environment tag), type part of a name,
// and read each tenant's organizations whose name or display name holds it — or that it failed and why, with a
// retry. Compare: two tenants' organizations matched by name, each one's members only in A and only in B (matched by
// email), the organizations only in one of them, and the whole comparison as CSV.
import { useEffect, useId, useState } from 'react';
import type {
  OrgCompareEntry,
  OrgCompareSummary,
  OrgMemberKey,
  TenantProfile,
} from '../../../../preload/contract';
import { useAcrossStore } from './store';
import { orgAnswered, useAcrossOrgsStore, type OrgComparison } from './orgs-store';
import { MAX_TENANTS, TenantCell } from './CrossSearch';
import { useAppStore } from '../../stores/app';
import { useTasksStore } from '../tasks/store';
import { useTenantsStore } from '../tenants/store';
import { ErrorMessage, incidentOf } from '../../ui/ErrorMessage';
import { SectionState } from '../../ui/SectionState';
import { TenantBadge } from '../../ui/TenantBadge';
import { count } from '../../format';

export function CrossOrganizations() {
  return (
    <div className="cross-organizations screen">
      <FindOrganizations />
      <CompareOrganizations />
    </div>
  );
}

function FindOrganizations() {
  const id = useId();
  const tenants = useTenantsStore((s) => s.tenants);
  const chosen = useAcrossStore((s) => s.chosen);
  const setChosen = useAcrossStore((s) => s.setChosen);
  const typed = useAcrossOrgsStore((s) => s.typed);
  const find = useAcrossOrgsStore((s) => s.find);
  const store = useAcrossOrgsStore();
  useEffect(() => {
    // The first time: the active tenant is ticked, to add others to.
    const activeId = useAppStore.getState().activeTenantId;
    if (useAcrossStore.getState().chosen.length === 0 && activeId) setChosen([activeId]);
  }, [setChosen]);
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const picked = chosen.filter((t) => byId.has(t));
  const finding = !!find && find.tenantIds.some((t) => !orgAnswered(find.answers[t]));
  const why =
    picked.length === 0 ? 'Tick at least one tenant.' : !typed.trim() ? 'Type part of a name.' : null;
  const toggle = (tenantId: string, on: boolean) =>
    setChosen(on ? [...picked, tenantId] : picked.filter((t) => t !== tenantId));

  return (
    <section aria-labelledby={`${id}-find`}>
      <h2 id={`${id}-find`}>Find an organization on several tenants</h2>
      <form
        className="cross-search-form"
        role="search"
        aria-label="Find organizations on several tenants"
        onSubmit={(e) => {
          e.preventDefault();
          if (!why) void store.run(picked);
        }}
      >
        <fieldset className="tenant-picks">
          <legend>
            Tenants to look on ({count(picked.length)} of at most {MAX_TENANTS})
          </legend>
          {tenants.map((t) => {
            const on = picked.includes(t.id);
            return (
              <label key={t.id} className="inline tenant-pick">
                <input
                  type="checkbox"
                  checked={on}
                  disabled={!on && picked.length >= MAX_TENANTS}
                  onChange={(e) => toggle(t.id, e.target.checked)}
                />
                <TenantCell tenant={t} />
                <span className="muted mono">{t.domain}</span>
              </label>
            );
          })}
        </fieldset>
        <div className="query-bar">
          <label className="query-label">
            Organization name or display name contains
            <input
              value={typed}
              onChange={(e) => store.setTyped(e.target.value)}
              placeholder="acme"
              spellCheck={false}
              maxLength={100}
            />
          </label>
          <button type="submit" className="primary" disabled={!!why || finding}>
            {finding ? 'Looking…' : `Find on ${count(picked.length, 'tenant')}`}
          </button>
        </div>
        {why && <p className="hint">{why}</p>}
      </form>
      {find && (
        <ul className="tenant-statuses org-finds" aria-label="Each tenant's organizations">
          {find.tenantIds.map((tenantId) => {
            const a = find.answers[tenantId];
            const label = byId.get(tenantId)?.label ?? 'this tenant';
            return (
              <li key={tenantId} data-testid={`orgs-${tenantId}`}>
                <TenantCell tenant={byId.get(tenantId)} />
                {!orgAnswered(a) ? (
                  <span role="status">Looking…</span>
                ) : a.ok ? (
                  <>
                    <span>
                      {a.organizations.length === 0
                        ? `no organization holds “${find.name}”`
                        : `${count(a.organizations.length, 'organization')}${a.capped ? ' (the first found; more may match)' : ''}`}
                      <span className="muted"> · {count(Math.round(a.ms))} ms</span>
                    </span>
                    {a.organizations.length > 0 && (
                      <table className="org-found" aria-label={`Organizations on ${label}`}>
                        <thead>
                          <tr>
                            <th>Display name</th>
                            <th>Name</th>
                            <th>ID</th>
                          </tr>
                        </thead>
                        <tbody>
                          {a.organizations.map((o) => (
                            <tr key={o.id}>
                              <td>{o.displayName ?? <span className="muted">none</span>}</td>
                              <td>
                                <code>{o.name}</code>
                              </td>
                              <td className="mono">{o.id}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    )}
                  </>
                ) : (
                  <span className="tenant-failed">
                    <strong>failed</strong>: {a.error.message}
                    {incidentOf(a.error) && (
                      <span className="incident"> (incident {a.error.incidentId})</span>
                    )}{' '}
                    <button
                      type="button"
                      onClick={() => void store.retry(tenantId)}
                      aria-label={`Retry ${label}`}
                    >
                      Retry
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {find?.error && find.error.code === 'validation' && <ErrorMessage error={find.error} />}
    </section>
  );
}

function CompareOrganizations() {
  const id = useId();
  const tenants = useTenantsStore((s) => s.tenants);
  const comparison = useAcrossOrgsStore((s) => s.comparison);
  const compare = useAcrossOrgsStore((s) => s.compare);
  const [first] = useState(() => {
    const activeId = useAppStore.getState().activeTenantId;
    return tenants.some((t) => t.id === activeId) ? activeId! : (tenants[0]?.id ?? '');
  });
  const [a, setA] = useState(comparison?.tenantA ?? first);
  const [b, setB] = useState(comparison?.tenantB ?? tenants.find((t) => t.id !== first)?.id ?? '');
  const why =
    tenants.length < 2
      ? 'Add a second tenant to compare two.'
      : !a || !b
        ? 'Choose two tenants.'
        : a === b
          ? 'Choose two different tenants.'
          : null;
  return (
    <section aria-labelledby={`${id}-compare`}>
      <h2 id={`${id}-compare`}>Compare two tenants’ organizations</h2>
      {comparison ? (
        <ComparisonShown comparison={comparison} />
      ) : (
        <form
          className="compare-form"
          aria-label="Compare two tenants' organizations"
          onSubmit={(e) => {
            e.preventDefault();
            if (!why) void compare(a, b);
          }}
        >
          <div className="inline-form">
            <TenantPick label="Tenant A" tenants={tenants} value={a} onChange={setA} />
            <TenantPick label="Tenant B" tenants={tenants} value={b} onChange={setB} />
          </div>
          <p className="hint">
            Organizations are matched by name; their members by email (user ids differ between tenants),
            members without an email by user id.
          </p>
          {why && <p className="hint">{why}</p>}
          <div className="actions">
            <button type="submit" className="primary" disabled={!!why}>
              Compare organizations
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function TenantPick({
  label,
  tenants,
  value,
  onChange,
}: {
  label: string;
  tenants: TenantProfile[];
  value: string;
  onChange: (id: string) => void;
}) {
  const chosen = tenants.find((t) => t.id === value);
  return (
    <div className="tenant-choice">
      <label>
        {label}
        <select value={value} onChange={(e) => onChange(e.target.value)}>
          {!chosen && <option value="">Choose a tenant</option>}
          {tenants.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label} ({t.domain})
            </option>
          ))}
        </select>
      </label>
      {chosen && <TenantBadge tenant={chosen} />}
    </div>
  );
}

function ComparisonShown({ comparison }: { comparison: OrgComparison }) {
  const tenants = useTenantsStore((s) => s.tenants);
  const close = useAcrossOrgsStore((s) => s.closeComparison);
  const cancel = useAcrossOrgsStore((s) => s.cancelCompare);
  const task = useTasksStore((s) => s.byId[comparison.runId]);
  const a = tenants.find((t) => t.id === comparison.tenantA);
  const b = tenants.find((t) => t.id === comparison.tenantB);
  const running = comparison.summary.state === 'loading';
  return (
    <div className="compare-view">
      <button type="button" className="link back" onClick={running ? cancel : close}>
        ← {running ? 'Cancel and choose again' : 'Compare other tenants'}
      </button>
      {running ? (
        <div className="cross-progress" role="group" aria-label="Organizations being compared">
          <p>
            {a ? <TenantBadge tenant={a} /> : 'a removed tenant'} and{' '}
            {b ? <TenantBadge tenant={b} /> : 'a removed tenant'}
          </p>
          <p role="status">
            {task
              ? `${task.progress.words}${task.progress.total !== null ? ` — ${count(task.progress.done)} of ${count(task.progress.total, 'organization')}` : ''}`
              : 'Starting…'}
          </p>
          <div className="actions">
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <SectionState value={comparison.summary} what="the comparison" retry={close}>
          {(s) => <OrgCompareResults summary={s} a={a} b={b} />}
        </SectionState>
      )}
    </div>
  );
}

export function OrgCompareResults({
  summary,
  a,
  b,
}: {
  summary: OrgCompareSummary;
  a: TenantProfile | undefined;
  b: TenantProfile | undefined;
}) {
  const exportComparison = useAcrossOrgsStore((s) => s.exportComparison);
  const [problem, setProblem] = useState<string | null>(null);
  const { labelA, labelB } = summary;
  const withoutEmail = summary.organizations.reduce((n, e) => n + e.withoutEmail, 0);
  return (
    <div className="org-compare">
      <div className="cross-heading">
        <h3>
          Organizations of {labelA} and {labelB}
        </h3>
        {a && <TenantBadge tenant={a} />} {b && <TenantBadge tenant={b} />}
      </div>
      <p role="status">
        {count(summary.organizations.length, 'organization')} in both, {count(summary.onlyInA.length)} only in{' '}
        {labelA}, {count(summary.onlyInB.length)} only in {labelB}.
      </p>
      {withoutEmail > 0 && (
        <p className="notice" role="note">
          {count(withoutEmail, 'member')} without an email {withoutEmail === 1 ? 'was' : 'were'} compared by
          user id, which differs between tenants: such a member shows as on one side only.
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          onClick={() => void exportComparison().then((e) => setProblem(e ? e.message : null))}
        >
          Export comparison (CSV)
        </button>
        {problem && <span className="error">{problem}</span>}
      </div>
      {summary.organizations.length > 0 && (
        <table className="org-compare-table" aria-label="Organizations in both tenants">
          <thead>
            <tr>
              <th>Organization</th>
              <th>Members in {labelA}</th>
              <th>Members in {labelB}</th>
              <th>In both</th>
              <th>Only in {labelA}</th>
              <th>Only in {labelB}</th>
            </tr>
          </thead>
          <tbody>
            {summary.organizations.map((e) => (
              <OrgRow key={e.name} entry={e} labelA={labelA} labelB={labelB} />
            ))}
          </tbody>
        </table>
      )}
      <OrgsOnOneSide label={labelA} orgs={summary.onlyInA} />
      <OrgsOnOneSide label={labelB} orgs={summary.onlyInB} />
    </div>
  );
}

function OrgRow({ entry, labelA, labelB }: { entry: OrgCompareEntry; labelA: string; labelB: string }) {
  return (
    <tr data-testid={`org-${entry.name}`}>
      <td>
        {entry.a.displayName ?? entry.b.displayName ?? entry.name} <code>{entry.name}</code>
      </td>
      <td>{count(entry.a.members)}</td>
      <td>{count(entry.b.members)}</td>
      <td>{count(entry.inBoth)}</td>
      <td>
        <MemberList
          n={entry.onlyInA}
          sample={entry.sampleOnlyInA}
          what={`${entry.name}: only in ${labelA}`}
        />
      </td>
      <td>
        <MemberList
          n={entry.onlyInB}
          sample={entry.sampleOnlyInB}
          what={`${entry.name}: only in ${labelB}`}
        />
      </td>
    </tr>
  );
}

function MemberList({ n, sample, what }: { n: number; sample: OrgMemberKey[]; what: string }) {
  if (n === 0) return <>0</>;
  return (
    <details>
      <summary aria-label={`${count(n, 'member')} ${what}`}>{count(n)}</summary>
      <ul aria-label={`Members ${what}`}>
        {sample.map((k) => (
          <li key={k.key}>
            {k.byUserId ? (
              <>
                <span className="mono">{k.userId}</span> <span className="muted">(no email)</span>
              </>
            ) : (
              k.key
            )}
          </li>
        ))}
      </ul>
      {n > sample.length && (
        <p className="hint">
          The first {count(sample.length)} of {count(n)}: the export lists them all.
        </p>
      )}
    </details>
  );
}

function OrgsOnOneSide({ label, orgs }: { label: string; orgs: OrgCompareSummary['onlyInA'] }) {
  return (
    <details className="orgs-one-side" open={orgs.length > 0 && orgs.length <= 20}>
      <summary>
        {count(orgs.length, 'organization')} only in {label}
      </summary>
      {orgs.length > 0 && (
        <ul aria-label={`Organizations only in ${label}`}>
          {orgs.map((o) => (
            <li key={o.id}>
              {o.displayName ?? o.name} <code>{o.name}</code> <span className="muted mono">{o.id}</span>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
