// The one data table of the window (users, a snapshot's users, tenant logs): TanStack Table for the header and row
// models and TanStack Virtual for rows, so only the rows in view are in the DOM; widths and order are the caller's
// layout (drawn through a colgroup). Sticky header; columns resized by
// dragging or with the arrow keys on their edge, reordered by dragging a header or with Alt+Left/Right on it; the
// layout is handed back to the caller to remember. Keyboard-first: the body is one focusable grid — Up/Down, Page
// Up/Down, Home/End move the active row, Enter opens it, Space picks it for a bulk edit (Shift+Space: a range).
import { createColumnHelper, flexRender, tableFeatures, useTable, type Row } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent as ReactMouseEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { isDensity, usePref } from '../stores/prefs';
import { dropColumn, fitWidths, moveColumn, nextActive, widthToKeep } from './table-logic';
import { registerCommands } from '../commands/registry';

// The keys of every data table, handled by the table itself: listed in the shortcuts overlay.
registerCommands(
  (
    [
      ['↑ ↓', 'Previous / next row'],
      ['PgUp PgDn, Home End', 'A page up or down, first or last row'],
      ['Enter', 'Open the row (a user, a log event)'],
      ['Space, Shift+Space', 'Pick the row for a bulk edit; with Shift, every row since the last one picked'],
      ['Alt+← / Alt+→ on a header', 'Move the column'],
      ['← / → on a column edge', 'Narrow or widen the column (Shift: faster)'],
    ] as const
  ).map(([keys, what], i) => ({
    id: `keys:table-${i}`,
    group: 'Keys',
    section: 'In a table',
    label: what,
    shortcut: keys,
    hidden: true,
  })),
);

export interface TableColumn<T extends object> {
  id: string;
  header: string;
  cell: (row: T, index: number) => ReactNode;
  /** Sortable by the caller (a click or Enter on the header asks for it). */
  sortable?: boolean;
}

export interface TableLayout {
  order: string[];
  sizes: Record<string, number>;
}

export const DEFAULT_COLUMN_WIDTH = 180;

const noSelection = () => null;

const features = tableFeatures({});

/** What a body row calls back; read through a ref, so a row needn't be drawn again when only these change. */
interface RowHandlers<T> {
  onActive: (index: number) => void;
  onOpen?: (row: T, index: number) => void;
  onToggle?: (index: number, shift: boolean) => void;
  rowLabel?: (row: T) => string;
}

interface BodyRowProps<T extends object> {
  row: Row<typeof features, T>;
  index: number;
  domId: string;
  className: string | undefined;
  active: boolean;
  picked: boolean;
  selectable: boolean;
  handlers: RefObject<RowHandlers<T>>;
}

/**
 * One body row, drawn again only when something it shows changed: its row object (new data, columns or widths), its
 * place, or whether it is active or picked. While scrolling, the rows already on screen are left alone (no render, no
 * DOM update) and only those coming into view are drawn.
 */
const BodyRow = memo(function BodyRow<T extends object>({
  row,
  index,
  domId,
  className,
  active,
  picked,
  selectable,
  handlers,
}: BodyRowProps<T>) {
  return (
    <tr
      id={domId}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selectable ? picked : active}
      className={className}
      onClick={() => handlers.current.onActive(index)}
      onDoubleClick={() => handlers.current.onOpen?.(row.original, index)}
    >
      {selectable && (
        <td role="gridcell" className="select-cell">
          <input
            type="checkbox"
            tabIndex={-1}
            aria-label={`Select ${handlers.current.rowLabel?.(row.original) ?? ''}`}
            checked={picked}
            // A checkbox's change comes from its click, which carries the Shift key for ranges.
            onChange={(e) =>
              handlers.current.onToggle?.(index, (e.nativeEvent as MouseEvent).shiftKey === true)
            }
          />
        </td>
      )}
      {row.getAllCells().map((cell) => (
        <td key={cell.id} role="gridcell">
          {flexRender(cell.column.columnDef.cell, cell.getContext())}
        </td>
      ))}
      <td className="filler" aria-hidden="true" />
    </tr>
  );
}) as <T extends object>(props: BodyRowProps<T>) => ReactNode;
/**
 * A body cell's whole text as its tooltip (a cut cell ends in an ellipsis), set when the pointer comes over it rather
 * than for every cell of every row drawn while scrolling; read again on each hover, so it follows the cell's content.
 * A cell with no text (the checkbox's, the filler) has none.
 */
function showWholeText(e: ReactMouseEvent<HTMLTableSectionElement>) {
  const cell = (e.target as Element).closest('td');
  if (!cell) return;
  const text = cell.textContent ?? '';
  if (text === '') cell.removeAttribute('title');
  else if (cell.title !== text) cell.title = text;
}

const MIN_WIDTH = 60;
const MAX_WIDTH = 1200;

/** What the header row calls back; read through a ref, like the body rows' handlers. */
interface HeaderHandlers {
  onSort?: (id: string) => void;
  onSelectAll?: (on: boolean) => void;
  startDrag: (id: string, startX: number) => void;
  move: (id: string, by: -1 | 1) => void;
  resizeBy: (id: string, by: number) => void;
  drop: (from: string, onto: string) => void;
  setDragging: (id: string | null) => void;
}

interface HeaderRowProps {
  columns: { id: string; header: string; sortable: boolean }[];
  /** Each column's width, in px. */
  widths: Record<string, number>;
  sort: { field: string; dir: 1 | -1 } | null;
  sortable: boolean;
  dragging: string | null;
  resizing: string | null;
  /** Whether every row is picked, with a checkbox column; null without one. */
  selectAll: boolean | null;
  handlers: RefObject<HeaderHandlers>;
}

/**
 * The header: sort buttons, drag to reorder (Alt+←/→), resize edges (drag, or ←/→ on the edge). Drawn again only when
 * the columns, their widths, the sort or a drag change, not on every scroll event (the table renders on each, to draw
 * the rows coming into view).
 */
const HeaderRow = memo(function HeaderRow({
  columns,
  widths,
  sort,
  sortable,
  dragging,
  resizing,
  selectAll,
  handlers,
}: HeaderRowProps) {
  /** Alt+←/→ on a header moves its column. */
  const moveOnAltArrow = (id: string) => (e: KeyboardEvent<HTMLElement>) => {
    if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      handlers.current.move(id, e.key === 'ArrowLeft' ? -1 : 1);
    }
  };
  return (
    <thead role="rowgroup">
      <tr role="row" aria-rowindex={1}>
        {selectAll !== null && (
          <th role="columnheader" className="select-cell">
            <input
              type="checkbox"
              aria-label="Select every row shown"
              checked={selectAll}
              onChange={(e) => handlers.current.onSelectAll?.(e.target.checked)}
            />
          </th>
        )}
        {columns.map((col) => {
          const sorted = sort?.field === col.id ? sort.dir : null;
          return (
            <th
              key={col.id}
              role="columnheader"
              aria-sort={sorted === 1 ? 'ascending' : sorted === -1 ? 'descending' : undefined}
              className={dragging === col.id ? 'dragging' : undefined}
              draggable
              onDragStart={(e) => {
                handlers.current.setDragging(col.id);
                e.dataTransfer.setData('text/x-column', col.id);
                e.dataTransfer.effectAllowed = 'move';
              }}
              onDragEnd={() => handlers.current.setDragging(null)}
              onDragOver={(e) => {
                if (dragging && dragging !== col.id) e.preventDefault();
              }}
              onDrop={(e) => {
                e.preventDefault();
                const from = e.dataTransfer.getData('text/x-column') || dragging;
                handlers.current.setDragging(null);
                if (from && from !== col.id) handlers.current.drop(from, col.id);
              }}
            >
              <span className="th-inner">
                {col.sortable && sortable ? (
                  <button
                    type="button"
                    className="sort"
                    title={`${col.header}: sort (Alt+←/→ moves the column)`}
                    onClick={() => handlers.current.onSort?.(col.id)}
                    onKeyDown={moveOnAltArrow(col.id)}
                  >
                    {col.header}
                    {sorted ? (sorted === 1 ? ' ▲' : ' ▼') : ''}
                  </button>
                ) : (
                  <span
                    className="th-label"
                    tabIndex={0}
                    title={`${col.header} (Alt+←/→ moves the column)`}
                    onKeyDown={moveOnAltArrow(col.id)}
                  >
                    {col.header}
                  </span>
                )}
              </span>
              <span
                role="separator"
                aria-orientation="vertical"
                aria-label={`Resize ${col.header}`}
                aria-valuenow={Math.round(widths[col.id]!)}
                aria-valuemin={MIN_WIDTH}
                aria-valuemax={MAX_WIDTH}
                tabIndex={0}
                className={`resizer${resizing === col.id ? ' resizing' : ''}`}
                onMouseDown={(e) => {
                  e.preventDefault();
                  e.stopPropagation();
                  handlers.current.startDrag(col.id, e.clientX);
                }}
                onClick={(e) => e.stopPropagation()}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
                    e.preventDefault();
                    handlers.current.resizeBy(
                      col.id,
                      (e.key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? 64 : 16),
                    );
                  }
                }}
              />
            </th>
          );
        })}
        <th className="filler" aria-hidden="true" />
      </tr>
    </thead>
  );
});

export function DataTable<T extends object>({
  label,
  testId,
  rows,
  rowKey,
  columns,
  layout,
  onLayout,
  sort,
  onSort,
  selection,
  active,
  onActive,
  onOpen,
  rowClass,
  emptyRow,
  className,
  fill = false,
}: {
  className?: string;
  /**
   * The columns fill the table's box: on a wide window they grow in proportion to their widths (kept as given,
   * narrower windows scroll sideways). A width the user sets is the width drawn.
   */
  fill?: boolean;
  label: string;
  testId?: string;
  rows: T[];
  rowKey: (row: T) => string;
  columns: TableColumn<T>[];
  layout: TableLayout;
  onLayout: (layout: TableLayout) => void;
  sort?: { field: string; dir: 1 | -1 } | null;
  onSort?: (field: string) => void;
  selection?: {
    isSelected: (row: T) => boolean;
    onToggle: (index: number, shift: boolean) => void;
    allSelected: boolean;
    onSelectAll: (on: boolean) => void;
    rowLabel: (row: T) => string;
  };
  /** The active row (keyboard focus within the grid). */
  active: number;
  onActive: (index: number) => void;
  onOpen?: (row: T, index: number) => void;
  rowClass?: (row: T) => string | undefined;
  emptyRow?: ReactNode;
}) {
  const gridId = useId();
  const density = usePref('density', 'comfortable', isDensity);
  // The rows' height is the density's (--row-height in the stylesheet); the virtualizer places rows by it.
  const rowHeight = density === 'compact' ? 28 : 36;
  const scroller = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const byId = new Map(columns.map((c) => [c.id, c]));
  const ordered = [
    ...layout.order.filter((id) => byId.has(id)),
    ...columns.map((c) => c.id).filter((id) => !layout.order.includes(id)),
  ].map((id) => byId.get(id)!);
  const orderKey = ordered.map((c) => c.id).join('\n');

  // The table's columns, rows and state keep their identity while only the scroll position changes: TanStack Table
  // rebuilds its row model (every row, not just those in view) whenever its columns or data are new objects.
  const defs = useMemo(() => {
    const helper = createColumnHelper<typeof features, T>();
    return ordered.map((c) =>
      helper.display({
        id: c.id,
        cell: (ctx) => c.cell(ctx.row.original, ctx.row.index),
      }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [columns, orderKey]);
  // While a column's edge is dragged, its width lives here (the others stay as drawn when it started); the caller is
  // told once the drag ends.
  const [drag, setDrag] = useState<{ id: string; width: number; drawn: Record<string, number> } | null>(null);
  // The box the columns fill (fill only): its inner width, followed as the window or the side panel changes it.
  const [box, setBox] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!fill || !el) return;
    const measure = () => setBox(el.clientWidth || null);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [fill]);
  // The table holds no state of its own (columns come in order; widths are drawn by the colgroup), so the hook need
  // not re-render on its own.
  const table = useTable(
    {
      features,
      data: rows,
      columns: defs,
      getRowId: (row: T) => rowKey(row),
    },
    noSelection,
  );
  const startDrag = (id: string, startX: number) => {
    const frozen = widths;
    const start = frozen[id]!;
    const clamp = (w: number) => Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w)));
    let last = start;
    const onMove = (e: MouseEvent) => {
      last = clamp(start + e.clientX - startX);
      setDrag({ id, width: last, drawn: frozen });
    };
    const onUp = () => {
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('mouseup', onUp);
      setDrag(null);
      if (last !== start)
        onLayout({ order: ordered.map((c) => c.id), sizes: { ...layout.sizes, [id]: keep(id, last) } });
    };
    window.addEventListener('mousemove', onMove);
    window.addEventListener('mouseup', onUp);
  };

  // The React Compiler is not used here; TanStack Virtual's functions are read fresh on every render.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    // Rows for the first paint, before the scroller has been measured.
    initialRect: { width: 1200, height: 720 },
    overscan: 6,
  });
  const items = virtual.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtual.getTotalSize() - items[items.length - 1]!.end : 0;

  useEffect(() => {
    if (rows.length) virtual.scrollToIndex(Math.min(active, rows.length - 1), { align: 'auto' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  const reserved = selection ? 44 : 0;
  // The widths the caller keeps for the columns.
  const given = useMemo(
    () =>
      Object.fromEntries(ordered.map((c) => [c.id, layout.sizes[c.id] ?? DEFAULT_COLUMN_WIDTH])) as Record<
        string,
        number
      >,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [orderKey, layout.sizes],
  );
  // Each column's width as drawn, the same object while only the scroll position changes (the header is memoised
  // on it): as given, or grown to fill the box; while an edge is dragged, the others as they were drawn.
  const widths = useMemo(() => {
    if (drag) return { ...drag.drawn, [drag.id]: drag.width };
    return fill ? fitWidths(given, Object.keys(given), box, reserved) : given;
  }, [given, drag, fill, box, reserved]);
  /** The width to keep for a column the user made `drawn` px wide (in a filling table, so that it is drawn so). */
  const keep = (id: string, drawn: number) =>
    fill
      ? Math.min(
          MAX_WIDTH,
          Math.max(MIN_WIDTH, widthToKeep(given, Object.keys(given), id, drawn, box, reserved)),
        )
      : drawn;
  const total = ordered.reduce((n, c) => n + widths[c.id]!, 0) + reserved;
  const visibleRows = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 540) / rowHeight) - 1);
  const rowId = (index: number) => `${gridId}-row-${index}`;
  const tableRows = table.getRowModel().rows;
  const handlers = useRef<RowHandlers<T>>(null!);
  handlers.current = {
    onActive,
    ...(onOpen ? { onOpen } : {}),
    ...(selection ? { onToggle: selection.onToggle, rowLabel: selection.rowLabel } : {}),
  };

  const move = (id: string, by: -1 | 1) =>
    onLayout({
      order: moveColumn(
        ordered.map((c) => c.id),
        id,
        by,
      ),
      sizes: layout.sizes,
    });
  const resizeBy = (id: string, by: number) =>
    onLayout({
      order: ordered.map((c) => c.id),
      sizes: {
        ...layout.sizes,
        [id]: keep(id, Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widths[id]! + by))),
      },
    });

  // The header's columns keep their identity while only the scroll position changes, so it is not drawn again.
  const headerColumns = useMemo(
    () => ordered.map((c) => ({ id: c.id, header: c.header, sortable: c.sortable === true })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [columns, orderKey],
  );
  const headerHandlers = useRef<HeaderHandlers>(null!);
  headerHandlers.current = {
    ...(onSort ? { onSort } : {}),
    ...(selection ? { onSelectAll: selection.onSelectAll } : {}),
    startDrag,
    move,
    resizeBy,
    drop: (from, onto) =>
      onLayout({
        order: dropColumn(
          ordered.map((c) => c.id),
          from,
          onto,
        ),
        sizes: layout.sizes,
      }),
    setDragging,
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter' && rows[active]) {
      e.preventDefault();
      onOpen?.(rows[active]!, active);
      return;
    }
    if (e.key === ' ' && selection && rows[active]) {
      e.preventDefault();
      selection.onToggle(active, e.shiftKey);
      return;
    }
    const next = nextActive(e.key, active, rows.length, visibleRows);
    if (next !== null) {
      e.preventDefault();
      onActive(next);
    }
  };

  return (
    <div
      className="table-scroller"
      ref={scroller}
      tabIndex={0}
      role="grid"
      aria-label={label}
      aria-rowcount={rows.length + 1}
      aria-colcount={ordered.length + (selection ? 1 : 0)}
      aria-activedescendant={rows.length ? rowId(active) : undefined}
      aria-multiselectable={selection ? true : undefined}
      data-testid={testId}
      onKeyDown={onKeyDown}
    >
      <table
        className={`data-table${className ? ` ${className}` : ''}`}
        style={{ width: '100%', minWidth: total }}
        role="presentation"
      >
        <colgroup>
          {selection && <col style={{ width: 44 }} />}
          {ordered.map((c) => (
            <col key={c.id} style={{ width: widths[c.id] }} />
          ))}
          {/* The rest of the width, so the columns keep the widths they were given on a wide window. */}
          <col className="filler" />
        </colgroup>
        <HeaderRow
          columns={headerColumns}
          widths={widths}
          sort={sort ?? null}
          sortable={onSort !== undefined}
          dragging={dragging}
          resizing={drag?.id ?? null}
          selectAll={selection ? selection.allSelected : null}
          handlers={headerHandlers}
        />
        <tbody role="rowgroup" onMouseOver={showWholeText}>
          {rows.length === 0 && emptyRow}
          {padTop > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={ordered.length + (selection ? 2 : 1)} style={{ height: padTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index]!;
            const picked = selection?.isSelected(row) ?? false;
            const classes = [rowClass?.(row), picked && 'selected', item.index === active && 'active'].filter(
              Boolean,
            );
            return (
              <BodyRow
                key={rowKey(row)}
                row={tableRows[item.index]!}
                index={item.index}
                domId={rowId(item.index)}
                className={classes.join(' ') || undefined}
                active={item.index === active}
                picked={picked}
                selectable={selection !== undefined}
                handlers={handlers}
              />
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={ordered.length + (selection ? 2 : 1)} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
