import { count } from '../format';
// A results page's size and Previous / Next (the Users screen and a snapshot's view).

export function PageControls({
  page,
  lastPage,
  perPage,
  loading,
  onChange,
}: {
  page: number;
  lastPage: number;
  perPage: number;
  loading: boolean;
  onChange: (change: { page: number; perPage?: number }) => void;
}) {
  // One group that wraps as a whole (never Next alone on a line of its own).
  return (
    <span className="page-controls">
      <label className="inline">
        Per page
        <select value={perPage} onChange={(e) => onChange({ perPage: Number(e.target.value), page: 0 })}>
          {[25, 50, 100].map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      <button type="button" disabled={page === 0 || loading} onClick={() => onChange({ page: page - 1 })}>
        Previous
      </button>
      <span>
        Page {count(page + 1)} of {count(lastPage + 1)}
      </span>
      <button
        type="button"
        disabled={page >= lastPage || loading}
        onClick={() => onChange({ page: page + 1 })}
      >
        Next
      </button>
    </span>
  );
}
