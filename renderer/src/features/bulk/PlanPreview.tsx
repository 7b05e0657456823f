import { useEffect, useId, useState } from 'react';
import { NoUsersRow, UserCell } from '../../ui/UserCell';
import { Pager } from '../../ui/Pager';
import type { BulkPlanItem, BulkPlanSummary, TenantProfile } from '../../../../preload/contract';
import { fromResult, type Async } from '../../async';
import { useAppStore } from '../../stores/app';
import { useBulkStore } from './store';
import { useJobsStore } from './jobs-store';
import { useTasksStore } from '../tasks/store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { SectionState } from '../../ui/SectionState';
import { StateView } from '../../ui/StateView';
import { count } from '../../format';

const PAGE = 25;
const HOW: Record<BulkPlanSummary['enumeration'], string> = {
  search: 'found by a search',
  export: 'found through a users export, filtered with the same query rules',
  lookup: 'looked up one by one',
  job: 'from an earlier job',
};

/** What a bulk edit would do, user by user, before anything is sent — and starting it, through the guard. */
export function PlanPreview({ tenant }: { tenant: TenantProfile }) {
  const d = useBulkStore((s) => s.byTenant[tenant.id]);
  const preview = d?.plan;
  if (!preview || preview.state === 'loading') return null;
  return (
    <section className="plan-preview" aria-labelledby="plan-title">
      <h2 id="plan-title" tabIndex={-1}>
        Preview
      </h2>
      <SectionState
        value={preview}
        what="the plan"
        retry={() => useBulkStore.getState().discardPlan(tenant.id)}
      >
        {(plan) => <Plan tenant={tenant} plan={plan} />}
      </SectionState>
    </section>
  );
}

function Plan({ tenant, plan }: { tenant: TenantProfile; plan: BulkPlanSummary }) {
  const id = useId();
  const discard = useBulkStore((s) => s.discardPlan);
  const openJob = useJobsStore((s) => s.open);
  const refreshTask = useTasksStore((s) => s.refresh);
  const toast = useAppStore((s) => s.toast);
  const [status, setStatus] = useState<'change' | 'skip'>(plan.willChange ? 'change' : 'skip');
  const [offset, setOffset] = useState(0);
  const [items, setItems] = useState<Async<{ items: BulkPlanItem[]; total: number }>>({ state: 'loading' });
  const [error, setError] = useState<Parameters<typeof ErrorMessage>[0]['error']>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    let live = true;
    void useBulkStore
      .getState()
      .planItems(plan.planId, status, offset, PAGE)
      .then((r) => live && setItems(fromResult(r)));
    return () => {
      live = false;
    };
  }, [plan.planId, status, offset]);

  const start = async () => {
    setStarting(true);
    const r = await useBulkStore.getState().start(
      tenant,
      { planId: plan.planId },
      {
        title: `Change ${count(plan.willChange)} users on ${tenant.label}?`,
        body: (
          <>
            <p>
              {plan.changeLabel} — for {count(plan.willChange)} of {count(plan.total)} users (
              {plan.sourceLabel}).
            </p>
            <p>
              {plan.undoable
                ? 'It can be undone afterwards from the job, user by user.'
                : 'It can\u2019t be undone.'}
            </p>
          </>
        ),
        confirmLabel: `Start: change ${count(plan.willChange)} users`,
        danger: plan.destructive,
        always: true,
        count: plan.willChange,
      },
    );
    setStarting(false);
    if (!r) return;
    if (!r.ok) return setError(r.error);
    // The job is a task: its summary is asked for at once (its first progress event may come later).
    void refreshTask(r.data.id);
    openJob(r.data.id);
    discard(tenant.id);
    toast('info', `Started: ${plan.changeLabel} (${tenant.label})`);
    requestAnimationFrame(() => document.getElementById('job-detail-title')?.focus());
  };

  return (
    <>
      <p className="plan-headline" role="status">
        <strong>{count(plan.willChange)}</strong> of {count(plan.total)} users will change: {plan.changeLabel}
        .{' '}
        <span className="muted">
          ({plan.sourceLabel}, {HOW[plan.enumeration]})
        </span>
      </p>
      {plan.skipped > 0 && (
        <p>
          {count(plan.skipped)} skipped, nothing sent for them:{' '}
          {plan.skipReasons.map((r) => `${r.note} (${count(r.count)})`).join('; ')}.
        </p>
      )}
      {plan.warnings.map((w) => (
        <p key={w.message} className="notice" role="note">
          {count(w.count)} users {w.message}.
        </p>
      ))}
      {plan.unknown.length > 0 && (
        <details className="plan-problems" open>
          <summary>
            {count(plan.unknown.length)} listed entr{plan.unknown.length === 1 ? 'y matches' : 'ies match'} no
            user
          </summary>
          <ul>
            {plan.unknown.slice(0, 200).map((u) => (
              <li key={u.entry}>
                <code>{u.entry}</code> — {u.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {plan.ambiguous.length > 0 && (
        <details className="plan-problems" open>
          <summary>
            {count(plan.ambiguous.length)} email{plan.ambiguous.length === 1 ? ' matches' : 's match'} several
            users — not included: list them by user id
          </summary>
          <ul>
            {plan.ambiguous.map((a) => (
              <li key={a.entry}>
                <code>{a.entry}</code>:{' '}
                {a.matches.map((m) => `${m.user_id}${m.connection ? ` (${m.connection})` : ''}`).join(', ')}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="plan-items">
        <div className="inline-choices" role="radiogroup" aria-label="Which users to show">
          {(
            [
              ['change', `Will change (${count(plan.willChange)})`],
              ['skip', `Skipped (${count(plan.skipped)})`],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="inline">
              <input
                type="radio"
                name={`${id}-items`}
                checked={status === value}
                onChange={() => {
                  setStatus(value);
                  setOffset(0);
                }}
              />
              {label}
            </label>
          ))}
        </div>
        <SectionState value={items} what="the planned users" retry={() => setOffset(offset)}>
          {({ items: rows, total }) => (
            <>
              <table className="plan-table">
                <caption className="visually-hidden">Planned users, before and after</caption>
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col">Before</th>
                    <th scope="col">After</th>
                    <th scope="col">Note</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.index}>
                      <UserCell email={row.email} userId={row.userId} />
                      <td>
                        <StateView value={row.before} roleNames={plan.roleNames} />
                      </td>
                      <td>
                        <StateView value={row.after} roleNames={plan.roleNames} />
                      </td>
                      <td>{row.note ?? ''}</td>
                    </tr>
                  ))}
                  {rows.length === 0 && <NoUsersRow columns={4} />}
                </tbody>
              </table>
              <Pager offset={offset} page={PAGE} total={total} onOffset={setOffset} />
            </>
          )}
        </SectionState>
      </div>
      <ErrorMessage error={error} />
      <div className="actions">
        {plan.destructive && (
          <button
            type="button"
            onClick={async () => {
              const failed = await useBulkStore.getState().saveUsers(plan.planId);
              if (failed) setError(failed);
            }}
          >
            Save these users as JSON first
          </button>
        )}
        <button
          type="button"
          className={plan.destructive ? 'danger-solid' : 'primary'}
          disabled={plan.willChange === 0 || starting}
          onClick={() => void start()}
        >
          {plan.willChange === 0 ? 'Nothing to change' : `Start: change ${count(plan.willChange)} users…`}
        </button>
        <button type="button" onClick={() => discard(tenant.id)}>
          Discard
        </button>
      </div>
    </>
  );
}
