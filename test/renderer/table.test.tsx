// @vitest-environment happy-dom
// The data table without a browser: where columns go when moved or dropped, which row the keys make active, and
// the rendered grid answering the keyboard — Enter opens, Space picks, Alt+arrows move a column, arrows on a
// column's edge resize it — and rendering only the rows in view.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState, type ComponentProps } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../renderer/src/bridge', () => ({
  bridge: { invoke: vi.fn(async () => ({ ok: true, data: {} })), on: vi.fn(() => () => undefined) },
}));
const { DataTable } = await import('../../renderer/src/ui/DataTable');
const { dropColumn, moveColumn, nextActive } = await import('../../renderer/src/ui/table-logic');

afterEach(cleanup);
// happy-dom lays nothing out: the table's scroller is given a window's size, as a browser would measure it.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 720 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1200 });

describe('table logic', () => {
  it('moves a column one place, and not past either end', () => {
    expect(moveColumn(['a', 'b', 'c'], 'b', -1)).toEqual(['b', 'a', 'c']);
    expect(moveColumn(['a', 'b', 'c'], 'b', 1)).toEqual(['a', 'c', 'b']);
    expect(moveColumn(['a', 'b', 'c'], 'a', -1)).toEqual(['a', 'b', 'c']);
    expect(moveColumn(['a', 'b', 'c'], 'c', 1)).toEqual(['a', 'b', 'c']);
    expect(moveColumn(['a', 'b'], 'x', 1)).toEqual(['a', 'b']);
  });
  it('drops a dragged column in the place of the one it was dropped on', () => {
    expect(dropColumn(['a', 'b', 'c', 'd'], 'a', 'c')).toEqual(['b', 'c', 'a', 'd']);
    expect(dropColumn(['a', 'b', 'c', 'd'], 'd', 'b')).toEqual(['a', 'd', 'b', 'c']);
    expect(dropColumn(['a', 'b'], 'a', 'a')).toEqual(['a', 'b']);
  });
  it('moves the active row by key, within the rows', () => {
    expect(nextActive('ArrowDown', 0, 10, 5)).toBe(1);
    expect(nextActive('ArrowDown', 9, 10, 5)).toBe(9);
    expect(nextActive('ArrowUp', 0, 10, 5)).toBe(0);
    expect(nextActive('PageDown', 7, 10, 5)).toBe(9);
    expect(nextActive('PageUp', 7, 10, 5)).toBe(2);
    expect(nextActive('End', 0, 10, 5)).toBe(9);
    expect(nextActive('Home', 6, 10, 5)).toBe(0);
    expect(nextActive('x', 3, 10, 5)).toBeNull();
    expect(nextActive('ArrowDown', 0, 0, 5)).toBeNull();
  });
});

interface Row {
  id: string;
  name: string;
  city: string;
}
const rows: Row[] = Array.from({ length: 2_000 }, (_, i) => ({
  id: `r${i}`,
  name: `Person ${i}`,
  city: `City ${i % 7}`,
}));

function Harness({ onOpen, onLayout }: { onOpen: (r: Row) => void; onLayout: (l: unknown) => void }) {
  const [active, setActive] = useState(0);
  const [picked, setPicked] = useState<string[]>([]);
  const [layout, setLayout] = useState({
    order: ['name', 'city'],
    sizes: { name: 200 } as Record<string, number>,
  });
  return (
    <DataTable<Row>
      label="People"
      rows={rows}
      rowKey={(r) => r.id}
      columns={[
        { id: 'name', header: 'Name', cell: (r) => r.name, sortable: true },
        { id: 'city', header: 'City', cell: (r) => r.city },
      ]}
      layout={layout}
      onLayout={(l) => {
        onLayout(l);
        setLayout(l);
      }}
      onSort={() => undefined}
      selection={{
        isSelected: (r) => picked.includes(r.id),
        onToggle: (i) =>
          setPicked((p) =>
            p.includes(rows[i]!.id) ? p.filter((x) => x !== rows[i]!.id) : [...p, rows[i]!.id],
          ),
        allSelected: false,
        onSelectAll: () => undefined,
        rowLabel: (r) => r.name,
      }}
      active={active}
      onActive={setActive}
      onOpen={onOpen}
    />
  );
}

/** A table of the rows with only what a test gives it beyond a name column and no-op callbacks. */
function Bare(props: Partial<ComponentProps<typeof DataTable<Row>>>) {
  return (
    <DataTable<Row>
      label="People"
      rows={rows}
      rowKey={(r) => r.id}
      columns={[{ id: 'name', header: 'Name', cell: (r: Row) => r.name }]}
      layout={{ order: ['name'], sizes: {} }}
      onLayout={() => undefined}
      active={0}
      onActive={() => undefined}
      {...props}
    />
  );
}

describe('DataTable', () => {
  it('walks the rows with the keyboard, opens with Enter and picks with Space', () => {
    const onOpen = vi.fn();
    render(<Harness onOpen={onOpen} onLayout={() => undefined} />);
    const grid = screen.getByRole('grid', { name: 'People' });
    expect(grid.getAttribute('aria-rowcount')).toBe('2001');
    const activeRow = () => document.getElementById(grid.getAttribute('aria-activedescendant')!)!;
    expect(activeRow().textContent).toContain('Person 0');
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(activeRow().textContent).toContain('Person 2');
    fireEvent.keyDown(grid, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith(rows[2], 2);
    fireEvent.keyDown(grid, { key: ' ' });
    expect((screen.getByRole('checkbox', { name: 'Select Person 2' }) as HTMLInputElement).checked).toBe(
      true,
    );
    fireEvent.keyDown(grid, { key: 'End' });
    expect(grid.getAttribute('aria-activedescendant')).toMatch(/-row-1999$/);
  });

  it('a row left alone by a new render still calls the newest callbacks', () => {
    const first = vi.fn();
    const second = vi.fn();
    const cellDraws = vi.fn((r: Row) => r.name);
    const columns = [{ id: 'name', header: 'Name', cell: cellDraws }];
    const layout = { order: ['name'], sizes: {} };
    const table = (onOpen: (r: Row, i: number) => void) => (
      <Bare columns={columns} layout={layout} onOpen={onOpen} />
    );
    const { rerender } = render(table(first));
    const drawn = cellDraws.mock.calls.length;
    expect(drawn).toBeGreaterThan(0);
    rerender(table(second));
    // Nothing a row shows changed, so no row was drawn again…
    expect(cellDraws.mock.calls.length).toBe(drawn);
    // …and yet a row opens through the callback given last.
    fireEvent.doubleClick(screen.getByText('Person 3'));
    expect(second).toHaveBeenCalledWith(rows[3], 3);
    expect(first).not.toHaveBeenCalled();
  });

  it('a header left alone by a new render still sorts and moves through the newest callbacks', () => {
    const first = { onSort: vi.fn(), onLayout: vi.fn() };
    const second = { onSort: vi.fn(), onLayout: vi.fn() };
    const columns = [
      { id: 'name', header: 'Name', cell: (r: Row) => r.name, sortable: true },
      { id: 'city', header: 'City', cell: (r: Row) => r.city },
    ];
    const layout = { order: ['name', 'city'], sizes: {} };
    const table = (on: typeof first) => (
      <Bare columns={columns} layout={layout} onLayout={on.onLayout} onSort={on.onSort} />
    );
    const { rerender } = render(table(first));
    rerender(table(second));
    fireEvent.click(screen.getByRole('button', { name: /^Name/ }));
    expect(second.onSort).toHaveBeenCalledWith('name');
    fireEvent.keyDown(screen.getByText('City'), { key: 'ArrowLeft', altKey: true });
    expect(second.onLayout).toHaveBeenCalledWith({ order: ['city', 'name'], sizes: {} });
    expect(first.onSort).not.toHaveBeenCalled();
    expect(first.onLayout).not.toHaveBeenCalled();
  });

  it("shows a cell's whole text on hover, and its new text once the row changes", () => {
    const table = (data: Row[]) => <Bare rows={data} />;
    const { rerender } = render(table(rows));
    const cell = screen.getByText('Person 1');
    expect(cell.hasAttribute('title')).toBe(false);
    fireEvent.mouseOver(cell);
    expect(cell.getAttribute('title')).toBe('Person 1');
    // The same row (same key, same cell element) now shows another name.
    rerender(table(rows.map((r, i) => (i === 1 ? { ...r, name: 'Renamed Person' } : r))));
    expect(cell.textContent).toBe('Renamed Person');
    fireEvent.mouseOver(cell);
    expect(cell.getAttribute('title')).toBe('Renamed Person');
    // An empty cell has no tooltip.
    rerender(table(rows.map((r, i) => (i === 1 ? { ...r, name: '' } : r))));
    fireEvent.mouseOver(cell);
    expect(cell.hasAttribute('title')).toBe(false);
  });

  it('renders only the rows in view, not all 2,000', () => {
    render(<Harness onOpen={() => undefined} onLayout={() => undefined} />);
    const rendered = document.querySelectorAll('tbody tr[aria-rowindex]').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(100);
  });

  it('moves a column with Alt+arrows on its header and resizes it with arrows on its edge', () => {
    const onLayout = vi.fn();
    render(<Harness onOpen={() => undefined} onLayout={onLayout} />);
    const headers = () =>
      [...document.querySelectorAll('thead th[role="columnheader"]')].map((th) => th.textContent);
    expect(headers().slice(1)).toEqual(['Name', 'City']);
    fireEvent.keyDown(screen.getByText('City'), { key: 'ArrowLeft', altKey: true });
    expect(headers().slice(1)).toEqual(['City', 'Name']);
    const edge = screen.getByRole('separator', { name: 'Resize Name' });
    expect(edge.getAttribute('aria-valuenow')).toBe('200');
    fireEvent.keyDown(edge, { key: 'ArrowRight' });
    fireEvent.keyDown(edge, { key: 'ArrowRight', shiftKey: true });
    expect(edge.getAttribute('aria-valuenow')).toBe(String(200 + 16 + 64));
    expect(onLayout).toHaveBeenLastCalledWith({ order: ['city', 'name'], sizes: { name: 280 } });
    // Never narrower than the minimum.
    for (let i = 0; i < 40; i++) fireEvent.keyDown(edge, { key: 'ArrowLeft', shiftKey: true });
    expect(edge.getAttribute('aria-valuenow')).toBe('60');
  });

  it('resizes a column by dragging its edge and reports the width once the drag ends', () => {
    const onLayout = vi.fn();
    render(<Harness onOpen={() => undefined} onLayout={onLayout} />);
    const edge = screen.getByRole('separator', { name: 'Resize City' });
    fireEvent.mouseDown(edge, { clientX: 500 });
    act(() => {
      window.dispatchEvent(new MouseEvent('mousemove', { clientX: 540 }));
    });
    expect(edge.getAttribute('aria-valuenow')).toBe('220');
    expect(onLayout).not.toHaveBeenCalled();
    act(() => {
      window.dispatchEvent(new MouseEvent('mouseup', { clientX: 540 }));
    });
    expect(onLayout).toHaveBeenCalledWith({ order: ['name', 'city'], sizes: { name: 200, city: 220 } });
  });
});
