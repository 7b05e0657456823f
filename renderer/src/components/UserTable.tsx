import { useEffect, useRef, useState } from 'react';
import type { Auth0User } from '../../../preload/contract';

const ROW_HEIGHT = 36;
const OVERSCAN = 8;

const LABELS: Record<string, string> = {
  email: 'Email',
  name: 'Name',
  'identities.connection': 'Connection',
  last_login: 'Last login',
  logins_count: 'Logins',
  blocked: 'Blocked',
  created_at: 'Created',
  updated_at: 'Updated',
  email_verified: 'Verified',
  user_id: 'User ID',
  nickname: 'Nickname',
};

export function columnLabel(path: string): string {
  return LABELS[path] ?? path;
}

export function cellValue(user: Auth0User, path: string): string {
  let v: unknown = user;
  for (const part of path.split('.')) {
    if (Array.isArray(v)) v = v[0];
    if (v === null || typeof v !== 'object') return '';
    v = (v as Record<string, unknown>)[part];
  }
  if (Array.isArray(v)) v = v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'object') return JSON.stringify(v);
  if ((path.endsWith('_at') || path === 'last_login') && typeof v === 'string')
    return new Date(v).toLocaleString();
  return String(v);
}

/** A virtualised table: only the rows in view (plus a few) are in the DOM, so 10,000 rows scroll smoothly. */
export function UserTable({
  users,
  columns,
  sort,
  onSort,
  onOpen,
  selected,
  onToggle,
  onSelectPage,
}: {
  users: Auth0User[];
  columns: string[];
  sort: string | null;
  onSort: (field: string) => void;
  onOpen: (user: Auth0User) => void;
  /** Rows picked for a bulk edit (by user id); with it, a checkbox column (Shift-click picks a range). */
  selected?: Record<string, string>;
  onToggle?: (index: number, shift: boolean) => void;
  onSelectPage?: (on: boolean) => void;
}) {
  const selectable = !!selected && !!onToggle;
  const pageSelected = selectable && users.length > 0 && users.every((u) => u.user_id in selected);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(540);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(users.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const [sortField, sortDir] = (sort ?? '').split(':');
  useEffect(() => {
    // Rows are in the DOM: the end of "query submit to first rows" (see npm run bench:ui).
    if (users.length) requestAnimationFrame(() => performance.mark('search:rows'));
  }, [users]);
  return (
    <div
      className="table-scroller"
      ref={scroller}
      tabIndex={0}
      aria-label="Search results"
      data-testid="results-scroller"
      onScroll={(e) => {
        setScrollTop(e.currentTarget.scrollTop);
        setHeight(e.currentTarget.clientHeight);
      }}
    >
      <table className="users" aria-rowcount={users.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            {selectable && (
              <th scope="col" className="select-cell">
                <input
                  type="checkbox"
                  aria-label="Select every user on this page"
                  checked={pageSelected}
                  onChange={(e) => onSelectPage?.(e.target.checked)}
                />
              </th>
            )}
            {columns.map((c) => {
              const sortable = !c.startsWith('identities.');
              const active = sortField === c;
              return (
                <th
                  key={c}
                  scope="col"
                  aria-sort={active ? (sortDir === '1' ? 'ascending' : 'descending') : 'none'}
                >
                  {sortable ? (
                    <button type="button" className="sort" onClick={() => onSort(c)}>
                      {columnLabel(c)} {active ? (sortDir === '1' ? '▲' : '▼') : ''}
                    </button>
                  ) : (
                    columnLabel(c)
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {first > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={columns.length + (selectable ? 1 : 0)} style={{ height: first * ROW_HEIGHT }} />
            </tr>
          )}
          {users.slice(first, last).map((u, i) => (
            <tr
              key={u.user_id}
              aria-rowindex={first + i + 2}
              aria-selected={selectable ? u.user_id in selected! : undefined}
              className={
                [u.blocked && 'blocked', selectable && u.user_id in selected! && 'selected']
                  .filter(Boolean)
                  .join(' ') || undefined
              }
            >
              {selectable && (
                <td className="select-cell">
                  <input
                    type="checkbox"
                    aria-label={`Select ${u.email ?? u.user_id}`}
                    checked={u.user_id in selected!}
                    // React fires a checkbox's change from its click event, which carries the Shift key for
                    // ranges; Space on the keyboard clicks it without Shift.
                    onChange={(e) => onToggle!(first + i, (e.nativeEvent as MouseEvent).shiftKey === true)}
                  />
                </td>
              )}
              {columns.map((c, ci) => (
                <td key={c}>
                  {ci === 0 ? (
                    <button type="button" className="link" onClick={() => onOpen(u)}>
                      {cellValue(u, c) || u.user_id}
                    </button>
                  ) : (
                    cellValue(u, c)
                  )}
                </td>
              ))}
            </tr>
          ))}
          {last < users.length && (
            <tr aria-hidden="true" className="spacer">
              <td
                colSpan={columns.length + (selectable ? 1 : 0)}
                style={{ height: (users.length - last) * ROW_HEIGHT }}
              />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
