// The reason a write is made, carried with the work it starts: the router runs a request's handler inside it, a task
// keeps it in its record and runs inside it again after a restart, and the audit log stamps it on every entry made
// inside (a single write, a bulk job's own entry and each of its users'). AsyncLocalStorage: no parameter threads it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { hasReason, type Reason } from '../../preload/contract.js';

const store = new AsyncLocalStorage<Reason | undefined>();

export function currentReason(): Reason | undefined {
  const r = store.getStore();
  return hasReason(r) ? r : undefined;
}

export function withReason<T>(reason: Reason | undefined, run: () => T): T {
  return store.run(hasReason(reason) ? reason : undefined, run);
}
