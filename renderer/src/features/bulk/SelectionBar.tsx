import type { TenantProfile } from '../../../../preload/contract';
import { useAppStore } from '../../stores/app';
import { useBulkStore } from './store';
import { composeQuery, useTenantSearch, useUsersStore } from '../users/store';
import { count } from '../../format';

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
        {picked ? `${count(picked)} selected` : 'No user selected'} · tick rows, Shift-click for a range
      </span>
      {picked > 0 && (
        <>
          <button type="button" className="primary" onClick={() => go('selection')}>
            Bulk edit {count(picked)} selected…
          </button>
          <button type="button" onClick={() => clear(tenant.id)}>
            Clear selection
          </button>
        </>
      )}
      {s.total > 0 && (
        <button type="button" onClick={() => go('query')}>
          Select all {count(s.total)} matching this query…
        </button>
      )}
    </div>
  );
}
