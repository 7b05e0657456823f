// Reads the window makes on its own (a search when a tenant opens, a page of logs): one cut off for a passing
// reason — the tenant's connection replaced as its profile changed, e.g. the local tenant restarting on another
// port — is asked once more a second later, unless the caller no longer wants the answer.
import type { Result } from '../../preload/contract';

export async function readWithOneRetry<T>(
  ask: () => Promise<Result<T>>,
  wanted: () => boolean,
): Promise<Result<T>> {
  const r = await ask();
  if (r.ok || !r.error.retryable || r.error.code !== 'network' || !wanted()) return r;
  await new Promise((done) => setTimeout(done, 1_000));
  return wanted() ? ask() : r;
}

/** A query field's ↓: to the results grid with the given test id, to walk them with the arrow keys. */
export function downToResults(gridTestId: string) {
  return (e: { key: string; preventDefault(): void }) => {
    if (e.key !== 'ArrowDown') return;
    const grid = document.querySelector<HTMLElement>(`[data-testid="${gridTestId}"]`);
    if (!grid) return;
    e.preventDefault();
    grid.focus();
  };
}
