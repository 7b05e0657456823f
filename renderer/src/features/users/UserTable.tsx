import { useEffect, useState } from 'react';
import { valueAtPath, type Auth0User } from '../../../../preload/contract';
import { isSizes, usePref, usePrefsStore } from '../../stores/prefs';
import { DataTable, type TableColumn } from '../../ui/DataTable';
import { when } from '../../format';

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
  let v = valueAtPath(user, path, 'first');
  if (Array.isArray(v)) v = v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'object') return JSON.stringify(v);
  if ((path.endsWith('_at') || path === 'last_login') && typeof v === 'string') return when(v);
  return String(v);
}

/** Widths that fit the usual columns' contents, until the user sets their own. */
const DEFAULT_WIDTHS: Record<string, number> = {
  email: 280,
  name: 200,
  'identities.connection': 230,
  last_login: 200,
  logins_count: 90,
  blocked: 104,
  email_verified: 104,
  user_id: 260,
  created_at: 200,
  updated_at: 200,
};

/** The width each column of a users table was given, remembered under a key (per tenant, per snapshot). */
export function useColumnSizes(
  layoutKey: string,
): [Record<string, number>, (sizes: Record<string, number>) => void] {
  const key = `table:${layoutKey}:sizes`;
  const sizes = usePref(key, {} as Record<string, number>, isSizes);
  return [sizes, (next) => usePrefsStore.getState().set(key, next)];
}

/**
 * Users in the data table: the chosen columns in their order (remembered by the caller) and widths (remembered under
 * `layoutKey`), the first column opening the user, an optional checkbox column for bulk edits.
 */
export function UserTable({
  users,
  columns,
  onColumns,
  layoutKey,
  sort,
  onSort,
  onOpen,
  selected,
  onToggle,
  onSelectPage,
  label = 'Search results',
}: {
  users: Auth0User[];
  columns: string[];
  onColumns: (columns: string[]) => void;
  layoutKey: string;
  sort: string | null;
  onSort: (field: string) => void;
  onOpen: (user: Auth0User) => void;
  /** Rows picked for a bulk edit (by user id); with it, a checkbox column (Shift-click picks a range). */
  selected?: Record<string, string>;
  onToggle?: (index: number, shift: boolean) => void;
  onSelectPage?: (on: boolean) => void;
  label?: string;
}) {
  const [chosen, setSizes] = useColumnSizes(layoutKey);
  const sizes = { ...DEFAULT_WIDTHS, ...chosen };
  // The active row is remembered by user (so a refreshed page keeps it), or by place if that user is gone.
  const [activeAt, setActiveAt] = useState<{ id: string | null; index: number }>({ id: null, index: 0 });
  const found = activeAt.id === null ? -1 : users.findIndex((u) => u.user_id === activeAt.id);
  const active = found >= 0 ? found : Math.max(0, Math.min(activeAt.index, users.length - 1));
  const setActive = (index: number) => setActiveAt({ id: users[index]?.user_id ?? null, index });
  const [sortField, sortDir] = (sort ?? '').split(':');
  useEffect(() => {
    // Rows are in the DOM: the end of "query submit to first rows" (see npm run bench:ui).
    if (users.length) requestAnimationFrame(() => performance.mark('search:rows'));
  }, [users]);
  const tableColumns: TableColumn<Auth0User>[] = columns.map((c, ci) => ({
    id: c,
    header: columnLabel(c),
    sortable: !c.startsWith('identities.'),
    cell: (u) => {
      const text = cellValue(u, c);
      return ci === 0 ? (
        <button type="button" className="link" tabIndex={-1} onClick={() => onOpen(u)}>
          {text || u.user_id}
        </button>
      ) : (
        text
      );
    },
  }));
  return (
    <DataTable
      label={label}
      className="user-table"
      testId="results-scroller"
      // On a wide window the columns grow to fill the table; beside the user panel it scrolls sideways.
      fill
      rows={users}
      rowKey={(u) => u.user_id}
      columns={tableColumns}
      layout={{ order: columns, sizes }}
      onLayout={(layout) => {
        if (layout.order.join('\n') !== columns.join('\n')) onColumns(layout.order);
        if (layout.sizes !== sizes) setSizes({ ...chosen, ...changed(sizes, layout.sizes) });
      }}
      sort={sortField ? { field: sortField, dir: sortDir === '1' ? 1 : -1 } : null}
      onSort={onSort}
      {...(selected && onToggle
        ? {
            selection: {
              isSelected: (u: Auth0User) => u.user_id in selected,
              onToggle,
              allSelected: users.length > 0 && users.every((u) => u.user_id in selected),
              onSelectAll: (on: boolean) => onSelectPage?.(on),
              rowLabel: (u: Auth0User) => u.email ?? u.user_id,
            },
          }
        : {})}
      active={active}
      onActive={setActive}
      onOpen={(u) => onOpen(u)}
      rowClass={(u) => (u.blocked ? 'blocked' : undefined)}
    />
  );
}

/** The widths that differ between two layouts (what the user just changed). */
function changed(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).filter(([id, w]) => before[id] !== w));
}
