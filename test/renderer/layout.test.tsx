// @vitest-environment happy-dom
// Sharing the width: a users table on a wide window fills it (its columns grow in proportion, a width the user sets
// is the width drawn; narrower, nothing shrinks and the table scrolls sideways); the side panel leaves the content
// its room; the page controls wrap as one group.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../renderer/src/bridge', () => ({
  bridge: { invoke: vi.fn(async () => ({ ok: true, data: {} })), on: vi.fn(() => () => undefined) },
}));
const { DataTable } = await import('../../renderer/src/ui/DataTable');
const { fitWidths, widthToKeep } = await import('../../renderer/src/ui/table-logic');
const { PageControls } = await import('../../renderer/src/ui/PageControls');
const { panelWidth } = await import('../../renderer/src/ui/SidePanel');

afterEach(cleanup);
// happy-dom lays nothing out: the table's box is given the width a 1920 px window leaves it.
let boxWidth = 1600;
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 720 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => boxWidth });

describe('column sizing', () => {
  const order = ['email', 'name', 'logins'];
  const given = { email: 280, name: 200, logins: 90 };

  it('grows the columns in proportion to fill a wide box, floored so it never scrolls', () => {
    const fitted = fitWidths(given, order, 1600, 44);
    expect(fitted).toEqual({ email: 764, name: 545, logins: 245 });
    const sum = Object.values(fitted).reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(1600 - 44);
    expect(sum).toBeGreaterThan(1600 - 44 - order.length);
  });

  it('never shrinks them: a narrow box (beside the user panel) scrolls sideways instead', () => {
    expect(fitWidths(given, order, 500, 44)).toEqual(given);
    expect(fitWidths(given, order, null)).toEqual(given);
  });

  it('keeps the width that draws a resized column as wide as the user made it', () => {
    const kept = widthToKeep(given, order, 'name', 600, 1600, 44);
    const fitted = fitWidths({ ...given, name: kept }, order, 1600, 44);
    expect(Math.abs(fitted.name! - 600)).toBeLessThanOrEqual(2);
    // The others share what is left in their proportions.
    expect(fitted.email! / fitted.logins!).toBeCloseTo(280 / 90, 1);
    // Where the others no longer fill the box, the column keeps what it was given.
    expect(widthToKeep(given, order, 'name', 1300, 1600, 44)).toBe(1300);
    expect(widthToKeep(given, order, 'name', 150, null)).toBe(150);
  });
});

interface Row {
  id: string;
  email: string;
  name: string;
}
const rows: Row[] = Array.from({ length: 50 }, (_, i) => ({
  id: `u${i}`,
  email: `user${i}@example.com`,
  name: `User ${i}`,
}));

function Users({ fill, onLayout }: { fill: boolean; onLayout?: (sizes: Record<string, number>) => void }) {
  const [layout, setLayout] = useState({
    order: ['email', 'name'],
    sizes: { email: 280, name: 200 } as Record<string, number>,
  });
  return (
    <DataTable<Row>
      label="Users"
      rows={rows}
      rowKey={(r) => r.id}
      columns={[
        { id: 'email', header: 'Email', cell: (r) => r.email },
        { id: 'name', header: 'Name', cell: (r) => r.name },
      ]}
      layout={layout}
      onLayout={(l) => {
        onLayout?.(l.sizes);
        setLayout(l);
      }}
      fill={fill}
      active={0}
      onActive={() => undefined}
    />
  );
}

const colWidths = () =>
  [...document.querySelectorAll('colgroup col:not(.filler)')].map((c) =>
    parseFloat((c as HTMLElement).style.width),
  );

describe('a filling table', () => {
  it('draws its columns across the whole box on a wide window', () => {
    boxWidth = 1600;
    render(<Users fill />);
    expect(colWidths()).toEqual([933, 666]);
    expect(screen.getByRole('separator', { name: 'Resize Email' }).getAttribute('aria-valuenow')).toBe('933');
  });

  it('keeps the widths given in a narrow box (the table scrolls sideways), and without fill', () => {
    boxWidth = 400;
    render(<Users fill />);
    expect(colWidths()).toEqual([280, 200]);
    cleanup();
    boxWidth = 1600;
    render(<Users fill={false} />);
    expect(colWidths()).toEqual([280, 200]);
  });

  it('resizes a column by what the user asked, as drawn', () => {
    boxWidth = 1600;
    const onLayout = vi.fn();
    render(<Users fill onLayout={onLayout} />);
    const edge = screen.getByRole('separator', { name: 'Resize Email' });
    fireEvent.keyDown(edge, { key: 'ArrowRight', shiftKey: true });
    const drawn = Number(edge.getAttribute('aria-valuenow'));
    expect(Math.abs(drawn - (933 + 64))).toBeLessThanOrEqual(2);
    const [email, name] = colWidths();
    expect(email! + name!).toBeLessThanOrEqual(1600);
    expect(email! + name!).toBeGreaterThan(1597);
    // What is kept is the width that draws it so in this box, not the drawn width itself.
    expect(onLayout.mock.calls[0]![0].email).toBeLessThan(400);
  });
});

describe('the screen around the table', () => {
  it('the side panel leaves the content its room: no wider than the window minus the sidebar and 40rem', () => {
    const css = panelWidth(560);
    expect(css).toContain('560px');
    expect(css).toContain('45vw');
    expect(css).toContain('calc(100vw - var(--sidebar-width, 13.5rem) - 40rem)');
    expect(css).toMatch(/^min\(560px, 45vw, max\(360px, calc/);
  });

  it('the page controls are one group, so Next never wraps alone', () => {
    render(<PageControls page={0} lastPage={3} perPage={50} loading={false} onChange={() => undefined} />);
    const next = screen.getByRole('button', { name: 'Next' });
    const group = next.closest('.page-controls')!;
    expect(group).not.toBeNull();
    expect(group.contains(screen.getByRole('button', { name: 'Previous' }))).toBe(true);
    expect(group.textContent).toContain('Page 1 of 4');
  });
});
