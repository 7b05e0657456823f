import { useState } from 'react';
import { NoUsersRow, UserCell } from '../UserCell';
import { Pager } from '../Pager';
import type { CompareItem, CompareKind } from '../../../../preload/contract';
import { bridge } from '../../bridge';
import { saveDownload } from '../../downloads';
import { useAppStore } from '../../stores/app';
import { COMPARE_PAGE, useSnapshotsStore } from '../../stores/snapshots';
import { StateView } from '../bulk/StateView';
import { ErrorMessage } from '../ErrorMessage';
import { SectionState } from '../SectionState';
import { when } from './SnapshotsScreen';

const count = (n: number) => n.toLocaleString('en');
const KINDS: { kind: CompareKind; label: string }[] = [
  { kind: 'changed', label: 'Changed' },
  { kind: 'added', label: 'Added' },
  { kind: 'removed', label: 'Removed' },
];

/** What changed between two snapshots: users added, removed and changed, which fields changed, and each user's values. */
export function CompareView() {
  const comparison = useSnapshotsStore((s) => s.comparison)!;
  const close = useSnapshotsStore((s) => s.closeComparison);
  const showItems = useSnapshotsStore((s) => s.showItems);
  const toast = useAppStore((s) => s.toast);
  const [error, setError] = useState<Parameters<typeof ErrorMessage>[0]['error']>(null);
  return (
    <div className="compare-view">
      <button type="button" className="link back" onClick={close}>
        ← All snapshots
      </button>
      <SectionState value={comparison.summary} what="the comparison" retry={close}>
        {(c) => (
          <>
            <h2>
              Changes on {c.after.tenantLabel} between {when(c.before.createdAt)} and{' '}
              {when(c.after.createdAt)}
            </h2>
            {!c.sameTenant && (
              <p className="notice" role="note">
                These snapshots are of different tenants: users are matched by user id only.
              </p>
            )}
            <div className="compare-counts" role="group" aria-label="Kinds of change">
              {KINDS.map(({ kind, label }) => (
                <button
                  key={kind}
                  type="button"
                  className={`count-card ${comparison.kind === kind ? 'current' : ''}`}
                  aria-pressed={comparison.kind === kind}
                  onClick={() => void showItems({ kind, field: null })}
                >
                  <span className="count-value">{count(c[kind])}</span>
                  <span>{label}</span>
                </button>
              ))}
              <div className="count-card static">
                <span className="count-value">{count(c.unchanged)}</span>
                <span>Unchanged</span>
              </div>
              <button
                type="button"
                className="export-compare"
                onClick={async () => {
                  const r = await bridge.invoke('snapshots:compare-export', { compareId: c.compareId });
                  if (!r.ok) return setError(r.error);
                  const saved = await saveDownload(r.data);
                  if (!saved.ok) return setError(saved.error);
                  if (saved.message) toast('info', saved.message);
                }}
              >
                Export the changes as CSV
              </button>
            </div>
            <ErrorMessage error={error} />
            {c.fields.length > 0 && (
              <div className="changed-fields">
                <h3>Fields that changed</h3>
                <ul>
                  {c.fields.slice(0, 60).map((f) => (
                    <li key={f.field}>
                      <button
                        type="button"
                        className={`chip ${comparison.field === f.field ? 'current' : ''}`}
                        aria-pressed={comparison.field === f.field}
                        onClick={() =>
                          void showItems({
                            kind: 'changed',
                            field: comparison.field === f.field ? null : f.field,
                          })
                        }
                      >
                        <code>{f.field}</code> {count(f.count)}
                      </button>
                    </li>
                  ))}
                  {c.fields.length > 60 && <li className="muted">and {c.fields.length - 60} more fields</li>}
                </ul>
              </div>
            )}
            <h3>
              {KINDS.find((k) => k.kind === comparison.kind)!.label} users
              {comparison.field && (
                <>
                  {' '}
                  whose <code>{comparison.field}</code> changed
                </>
              )}
            </h3>
            <SectionState value={comparison.items} what="the users" retry={() => void showItems({})}>
              {({ items, total }) => <Items items={items} total={total} />}
            </SectionState>
          </>
        )}
      </SectionState>
    </div>
  );
}

function Items({ items, total }: { items: CompareItem[]; total: number }) {
  const comparison = useSnapshotsStore((s) => s.comparison)!;
  const showItems = useSnapshotsStore((s) => s.showItems);
  const offset = comparison.offset;
  return (
    <>
      <table className="plan-table compare-table">
        <caption className="visually-hidden">Users and their changes</caption>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Fields</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={`${i.kind}-${i.userId}`}>
              <UserCell email={i.email} userId={i.userId} />
              <td>
                {i.kind === 'changed' ? i.fields.join(', ') : i.kind === 'added' ? 'new user' : 'user gone'}
              </td>
              <td>
                {i.kind === 'changed' ? (
                  <StateView value={i.before} />
                ) : i.kind === 'removed' ? (
                  summary(i.before)
                ) : (
                  ''
                )}
              </td>
              <td>
                {i.kind === 'changed' ? (
                  <StateView value={i.after} />
                ) : i.kind === 'added' ? (
                  summary(i.after)
                ) : (
                  ''
                )}
              </td>
            </tr>
          ))}
          {items.length === 0 && <NoUsersRow columns={4} />}
        </tbody>
      </table>
      <Pager
        offset={offset}
        page={COMPARE_PAGE}
        total={total}
        onOffset={(o) => void showItems({ offset: o })}
      />
    </>
  );
}

/** An added or removed user, briefly: what they'd be recognised by. */
function summary(user: Record<string, unknown> | undefined) {
  if (!user) return '';
  const bits = [
    user.name,
    (user.identities as { connection?: string }[] | undefined)?.[0]?.connection,
    user.created_at && `created ${String(user.created_at).slice(0, 10)}`,
  ];
  return <span className="muted">{bits.filter(Boolean).join(' · ')}</span>;
}
