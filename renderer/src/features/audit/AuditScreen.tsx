import { useEffect, useState } from 'react';
import type { AuditEntry, ErrorEnvelope } from '../../../../preload/contract';
import { useAuditStore } from './store';
import { useTenantsStore } from '../tenants/store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { when } from '../../format';

/** Every write Tenant Desk made, newest first; filters; CSV export that spreadsheets can't turn into formulas. */
export function AuditScreen() {
  const tenants = useTenantsStore((s) => s.tenants);
  const audit = useAuditStore();
  const [tenantId, setTenantId] = useState('');
  const [action, setAction] = useState('');
  const [target, setTarget] = useState('');
  /** A day (yyyy-mm-dd): entries from its start, local time. */
  const [since, setSince] = useState('');
  /** Words of a reason: a ticket reference or part of a note. */
  const [reason, setReason] = useState('');
  /** One incident response's entries (its own and each of its writes). */
  const [incidentId, setIncidentId] = useState('');
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const filters = {
    ...(tenantId ? { tenantId } : {}),
    ...(action ? { action } : {}),
    ...(target ? { target } : {}),
    ...(since ? { since: new Date(`${since}T00:00:00`).toISOString() } : {}),
    ...(reason.trim() ? { reason: reason.trim() } : {}),
  };

  const load = async () => {
    const r = await audit.list({ ...filters, ...(incidentId ? { incidentId } : {}) });
    if (r.ok) {
      setEntries(r.data);
      setError(null);
    } else setError(r.error);
  };
  useEffect(() => {
    let live = true;
    void audit
      .list({
        ...(tenantId ? { tenantId } : {}),
        ...(action ? { action } : {}),
        ...(since ? { since: new Date(`${since}T00:00:00`).toISOString() } : {}),
        ...(incidentId ? { incidentId } : {}),
      })
      .then((r) => {
        if (!live) return;
        if (r.ok) {
          setEntries(r.data);
          setError(null);
        } else setError(r.error);
      });
    return () => {
      live = false;
    };
  }, [audit, tenantId, action, since, incidentId]);
  // Two profiles may share a domain (an admin grant and a support-desk grant): each entry names its profile.
  const labelOf = new Map(tenants.map((t) => [t.id, t.label]));

  const actions = [...new Set((entries ?? []).map((e) => e.action))].sort();
  return (
    <section aria-labelledby="audit-title" className="audit">
      <div className="section-head">
        <h1 id="audit-title">Audit log</h1>
        <button
          type="button"
          onClick={async () => {
            const failed = await audit.exportCsv(filters);
            if (failed) setError(failed);
          }}
        >
          Export CSV
        </button>
      </div>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label>
          Tenant
          <select value={tenantId} onChange={(e) => setTenantId(e.target.value)}>
            <option value="">All tenants</option>
            {tenants.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <select value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">All actions</option>
            {actions.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          User or target
          <input value={target} onChange={(e) => setTarget(e.target.value)} placeholder="auth0|…" />
        </label>
        <label>
          Since
          <input type="date" value={since} onChange={(e) => setSince(e.target.value)} />
        </label>
        <label>
          Reason
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="ticket or words of the note"
          />
        </label>
        <button type="submit">Filter</button>
      </form>
      {incidentId && (
        <p className="notice" role="note">
          Showing incident {incidentId}: its own entry and each write it made.{' '}
          <button type="button" className="link" onClick={() => setIncidentId('')}>
            Show every entry
          </button>
        </p>
      )}
      <ErrorMessage error={error} />
      {!entries ? (
        <p role="status">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="empty">Nothing recorded yet.</p>
      ) : (
        <table className="audit-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Tenant</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Outcome</th>
              <th scope="col">Why</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={`${e.time}-${i}`} className={e.outcome}>
                <td>{when(e.time)}</td>
                <td>
                  {labelOf.get(e.tenantId) ? (
                    <>
                      {labelOf.get(e.tenantId)} <span className="muted">{e.tenantDomain}</span>
                    </>
                  ) : (
                    e.tenantDomain
                  )}
                </td>
                <td>{e.action}</td>
                <td>{e.target ?? ''}</td>
                <td>
                  {e.outcome === 'interrupted' && e.resolution ? (
                    <>
                      <strong>Interrupted &mdash; {RESOLUTION_WORDS[e.resolution]}</strong>
                      <div className="outcome-note">{e.error}</div>
                    </>
                  ) : (
                    outcomeInWords(e)
                  )}
                </td>
                <td>
                  {e.reason?.ticket && <strong>{e.reason.ticket}</strong>}
                  {e.reason?.ticket && e.reason.note ? ' ' : ''}
                  {e.reason?.note}
                  {e.incidentId && !incidentId && (
                    <div>
                      <button type="button" className="link" onClick={() => setIncidentId(e.incidentId!)}>
                        Incident {e.incidentId}
                      </button>
                    </div>
                  )}
                </td>
                <td>
                  {e.osUser}
                  {e.via === 'command-line' && <span className="muted"> (command line)</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const RESOLUTION_WORDS = { applied: 'applied', 'not-applied': 'not applied', unknown: 'unknown' } as const;

/** An entry's outcome as the table says it: an interrupted write with what reading it back found. */
export function outcomeInWords(e: AuditEntry): string {
  switch (e.outcome) {
    case 'success':
      return 'Done';
    case 'failure':
      return `Failed: ${e.error ?? ''}`;
    case 'refused':
      return `Refused: ${e.error ?? ''}`;
    case 'pending':
      return 'Being sent';
    case 'interrupted':
      return e.resolution
        ? `Interrupted \u2014 ${RESOLUTION_WORDS[e.resolution]}: ${e.error ?? ''}`
        : 'Interrupted: Tenant Desk stopped while it was sent; check the tenant';
  }
}
