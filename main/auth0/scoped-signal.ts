// The Auth0 SDK links the abortSignal it is given to its own timeout with a listener it never removes (its
// anySignal drops the listener only if the call itself is aborted). A job's or an export's signal lives for
// thousands of calls, so each call gets a signal of its own that follows the long-lived one only while it runs.

/** Runs `fn` with a signal that aborts when `signal` does, unlinked again once `fn` has settled. */
export async function scopedSignal<T>(
  signal: AbortSignal,
  fn: (scoped: AbortSignal) => Promise<T>,
): Promise<T> {
  const child = new AbortController();
  const forward = () => child.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  try {
    return await fn(child.signal);
  } finally {
    signal.removeEventListener('abort', forward);
  }
}
