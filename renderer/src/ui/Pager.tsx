import { count } from '../format';
// Previous / Next over a list shown a page at a time, with "first–last of total".

export function Pager({
  offset,
  page,
  total,
  onOffset,
}: {
  offset: number;
  page: number;
  total: number;
  onOffset: (offset: number) => void;
}) {
  return (
    <div className="pager">
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - page))}>
        Previous
      </button>
      <span>
        {total ? `${count(offset + 1)}–${count(Math.min(offset + page, total))} of ${count(total)}` : '0'}
      </span>
      <button type="button" disabled={offset + page >= total} onClick={() => onOffset(offset + page)}>
        Next
      </button>
    </div>
  );
}
