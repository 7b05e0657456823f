// The data table's pure rules (unit-tested without a DOM): where a column goes when moved or dropped, and where the
// active row goes for a key.

/** The order with a column moved one place left (-1) or right (+1); at an end it stays. */
export function moveColumn(order: string[], id: string, by: -1 | 1): string[] {
  const i = order.indexOf(id);
  const j = i + by;
  if (i < 0 || j < 0 || j >= order.length) return order;
  const next = [...order];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

/** The order with a column dragged onto another: it takes that column's place (which shifts toward the gap). */
export function dropColumn(order: string[], from: string, onto: string): string[] {
  const i = order.indexOf(from);
  const j = order.indexOf(onto);
  if (i < 0 || j < 0 || i === j) return order;
  const next = order.filter((id) => id !== from);
  next.splice(j, 0, from);
  return next;
}

/** The active row after a key, or null when the key does not move it. */
export function nextActive(key: string, active: number, count: number, page: number): number | null {
  if (count === 0) return null;
  const clamp = (n: number) => Math.max(0, Math.min(count - 1, n));
  switch (key) {
    case 'ArrowDown':
      return clamp(active + 1);
    case 'ArrowUp':
      return clamp(active - 1);
    case 'PageDown':
      return clamp(active + page);
    case 'PageUp':
      return clamp(active - page);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * Each column's width as drawn when the table fills its box: the widths given, grown in proportion to fill the
 * `available` px (less `reserved`, a checkbox column) when they leave room — never shrunk: narrower, the table
 * scrolls sideways. Floored, so rounding never makes it scroll; without a measured box, the widths as given.
 */
export function fitWidths(
  widths: Record<string, number>,
  order: readonly string[],
  available: number | null,
  reserved = 0,
): Record<string, number> {
  const total = order.reduce((n, id) => n + (widths[id] ?? 0), 0);
  const room = (available ?? 0) - reserved;
  const grow = total > 0 && room > total ? room / total : 1;
  return Object.fromEntries(order.map((id) => [id, Math.floor((widths[id] ?? 0) * grow)]));
}

/**
 * The width to keep for a column the user made `drawn` px wide in a table that fills its box: the width that, fitted
 * again (`fitWidths`), draws it `drawn` px wide, the other columns sharing what is left in their proportions. Where
 * the others don't fill what is left, the table no longer grows anything: the column keeps `drawn`.
 */
export function widthToKeep(
  widths: Record<string, number>,
  order: readonly string[],
  id: string,
  drawn: number,
  available: number | null,
  reserved = 0,
): number {
  const others = order.reduce((n, c) => (c === id ? n : n + (widths[c] ?? 0)), 0);
  const room = (available ?? 0) - reserved - drawn;
  if (available === null || others === 0 || room <= others) return Math.round(drawn);
  return Math.round(drawn / (room / others));
}
