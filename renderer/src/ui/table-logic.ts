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
