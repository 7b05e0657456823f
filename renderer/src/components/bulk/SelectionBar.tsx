import type { TenantProfile } from '../../../../preload/contract';
import { useAppStore } from '../../stores/app';
import { useBulkStore } from '../../stores/bulk';
import { composeQuery, useTenantSearch, useUsersStore } from '../../stores/users';

/** What is picked for a bulk edit, and the ways to take it (or every match of the query) to the bulk editor. */
export function SelectionBar({ tenant }: { tenant: TenantProfile }) {
  const s = useTenantSearch(tenant.id);
  const clear = useUsersStore((st) => st.clearSelection);
  const update = useBulkStore((st) => st.update);
  const discard = useBulkStore((st) => st.discardPlan);
  const setView = useAppStore((st) => st.setView);
  const picked = Object.keys(s.selected).length;
  if (!s.searched) return null;
  const go = (source: 'selection' | 'query') => {
    discard(tenant.id);
    update(tenant.id, { source, ...(source === 'query' ? { q: composeQuery(s.typed, s.filters) } : {}) });
    setView('bulk');
  };
  return (
    <div className="selection-bar" role="region" aria-label="Selection for a bulk edit">
      <span role="status">
        {picked ? `${picked.toLocaleString('en')} selected` : 'No user selected'} · tick rows, Shift-click for
        a range
      </span>
      {picked > 0 && (
        <>
          <button type="button" className="primary" onClick={() => go('selection')}>
            Bulk edit {picked.toLocaleString('en')} selected…
          </button>
          <button type="button" onClick={() => clear(tenant.id)}>
            Clear selection
          </button>
        </>
      )}
      {s.total > 0 && (
        <button type="button" onClick={() => go('query')}>
          Select all {s.total.toLocaleString('en')} matching this query…
        </button>
      )}
    </div>
  );
}
