import { useState, type ReactNode } from 'react';
import { NoUsersRow, UserCell } from '../../ui/UserCell';
import { Pager } from '../../ui/Pager';
import {
  membershipChanges,
  type CompareItem,
  type CompareKind,
  type CompareSummary,
} from '../../../../preload/contract';
import { COMPARE_PAGE, useSnapshotsStore, type Comparison } from './store';
import { StateView } from '../../ui/StateView';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { SectionState } from '../../ui/SectionState';
import { count, when } from '../../format';

/** How a comparison names its two sides: snapshots before/after, or two tenants (only in A, only in B). */
export interface CompareWords {
  /** The kinds in the order their counts are shown. */
  order: CompareKind[];
  kinds: Record<CompareKind, string>;
  /** The heading of the list of users of a kind. */
  listOf: Record<CompareKind, string>;
  /** What an added / removed user is, in the Fields column. */
  added: string;
  removed: string;
  before: string;
  after: string;
  exportLabel: string;
  unchanged: string;
  /** "Fields that changed"; "… whose <field> changed". */
  fieldsHeading: string;
  fieldVerb: string;
}

export const SNAPSHOT_WORDS: CompareWords = {
  order: ['changed', 'added', 'removed'],
  kinds: { changed: 'Changed', added: 'Added', removed: 'Removed' },
  listOf: { changed: 'Changed users', added: 'Added users', removed: 'Removed users' },
  added: 'new user',
  removed: 'user gone',
  before: 'Before',
  after: 'After',
  exportLabel: 'Export the changes as CSV',
  unchanged: 'Unchanged',
  fieldsHeading: 'Fields that changed',
  fieldVerb: 'changed',
};

/** What changed between two snapshots: users added, removed and changed, which fields changed, and each user's values. */
export function CompareView() {
  const comparison = useSnapshotsStore((s) => s.comparison)!;
  const close = useSnapshotsStore((s) => s.closeComparison);
  const showItems = useSnapshotsStore((s) => s.showItems);
  return (
    <div className="compare-view">
      <button type="button" className="link back" onClick={close}>
        ← All snapshots
      </button>
      <SectionState value={comparison.summary} what="the comparison" retry={close}>
        {(c) => (
          <CompareResults
            summary={c}
            comparison={comparison}
            showItems={showItems}
            words={SNAPSHOT_WORDS}
            heading={
              <h2>
                Changes on {c.after.tenantLabel} between {when(c.before.createdAt)} and{' '}
                {when(c.after.createdAt)}
              </h2>
            }
            notice={
              !c.sameTenant && (
                <p className="notice" role="note">
                  These snapshots are of different tenants: users are matched by user id only.
                </p>
              )
            }
          />
        )}
      </SectionState>
    </div>
  );
}

/**
 * A comparison once made: how many users of each kind (a button each), the fields that differ (click one to list
 * its users), a page of users with their values on both sides, and the whole comparison as CSV.
 */
export function CompareResults({
  summary: c,
  comparison,
  showItems,
  words,
  heading,
  notice,
}: {
  summary: CompareSummary;
  comparison: Comparison;
  showItems: (changes: Partial<Pick<Comparison, 'kind' | 'field' | 'offset'>>) => Promise<void>;
  words: CompareWords;
  heading: ReactNode;
  notice?: ReactNode;
}) {
  const [error, setError] = useState<Parameters<typeof ErrorMessage>[0]['error']>(null);
  return (
    <>
      {heading}
      {notice}
      <div className="compare-counts" role="group" aria-label="Kinds of change">
        {words.order.map((kind) => (
          <button
            key={kind}
            type="button"
            className={`count-card ${comparison.kind === kind ? 'current' : ''}`}
            aria-pressed={comparison.kind === kind}
            onClick={() => void showItems({ kind, field: null })}
          >
            <span className="count-value">{count(c[kind])}</span>
            <span>{words.kinds[kind]}</span>
          </button>
        ))}
        <div className="count-card static">
          <span className="count-value">{count(c.unchanged)}</span>
          <span>{words.unchanged}</span>
        </div>
        <button
          type="button"
          className="export-compare"
          onClick={async () => {
            setError(await useSnapshotsStore.getState().exportComparison(c.compareId));
          }}
        >
          {words.exportLabel}
        </button>
      </div>
      <ErrorMessage error={error} />
      {c.fields.length > 0 && (
        <div className="changed-fields">
          <h3>{words.fieldsHeading}</h3>
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
        {words.listOf[comparison.kind]}
        {comparison.field && (
          <>
            {' '}
            whose <code>{comparison.field}</code> {words.fieldVerb}
          </>
        )}
      </h3>
      <SectionState value={comparison.items} what="the users" retry={() => void showItems({})}>
        {({ items, total }) => (
          <Items
            items={items}
            total={total}
            offset={comparison.offset}
            words={words}
            onOffset={(o) => void showItems({ offset: o })}
          />
        )}
      </SectionState>
    </>
  );
}

function Items({
  items,
  total,
  offset,
  words,
  onOffset,
}: {
  items: CompareItem[];
  total: number;
  offset: number;
  words: CompareWords;
  onOffset: (offset: number) => void;
}) {
  return (
    <>
      <table className="plan-table compare-table">
        <caption className="visually-hidden">Users and their changes</caption>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Fields</th>
            <th scope="col">{words.before}</th>
            <th scope="col">{words.after}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={`${i.kind}-${i.userId}-${i.key ?? ''}`}>
              {i.key !== undefined ? (
                <td>
                  {i.key}
                  <div className="muted">
                    {i.userId}
                    {i.otherUserId && i.otherUserId !== i.userId && <> · {i.otherUserId}</>}
                  </div>
                </td>
              ) : (
                <UserCell email={i.email} userId={i.userId} />
              )}
              <td>
                {i.kind === 'changed' ? (
                  <>
                    {i.fields.filter((f) => !/^(organizations|roles)(\.|$)/.test(f)).join(', ')}
                    <MembershipChanges item={i} />
                  </>
                ) : i.kind === 'added' ? (
                  words.added
                ) : (
                  words.removed
                )}
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
      <Pager offset={offset} page={COMPARE_PAGE} total={total} onOffset={onOffset} />
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

/** A compared user's role and organization changes in words, listed once they are worked out. */
function MembershipChanges({ item }: { item: CompareItem }) {
  const changes = membershipChanges(item.fields, item.before, item.after);
  if (changes.length === 0) return null;
  return (
    <ul className="membership-changes">
      {changes.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}
