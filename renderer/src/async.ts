// What a section of the window knows about something it loads: still loading, there, failed (with the error in
// words and a retry), or not permitted by the tenant's grant (with the scopes it lacks). Never an empty state that
// hides a failure.
import type { ErrorEnvelope, Result } from '../../preload/contract';

export type Async<T> =
  | { state: 'loading' }
  | { state: 'ready'; data: T }
  | { state: 'failed'; error: ErrorEnvelope }
  | { state: 'forbidden'; missing: string[] };

export const loading: Async<never> = { state: 'loading' };

export function forbidden(missing: string[]): Async<never> {
  return { state: 'forbidden', missing };
}

/** A bridge result as a section state: an insufficient scope is "not permitted", not a failure. */
export function fromResult<T>(r: Result<T>): Async<T> {
  if (r.ok) return { state: 'ready', data: r.data };
  if (r.error.code === 'insufficient_scope') {
    const scopes = (r.error.details as { scopes?: string[] } | undefined)?.scopes ?? [];
    return { state: 'forbidden', missing: scopes };
  }
  return { state: 'failed', error: r.error };
}
