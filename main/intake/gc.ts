// A full garbage collection after a record of many megabytes has been handled. V8 collects lazily: left alone, the
// copies a huge record leaves (its line, the parsed user, the JSON kept in the snapshot) pile up for several records
// before a major collection, and memory grows with the file instead of staying at about one record. Collecting at
// once after such a record (rare: Auth0 caps a user at about 100 KB, legacy tenants at 16 MB) keeps it bounded.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Records of at least this many characters are collected after. */
export const LARGE_RECORD_CHARS = 4 * 1024 * 1024;

let gc: (() => void) | null | undefined;

export function collectAfterLargeRecord(): void {
  if (gc === undefined) {
    try {
      // The documented way to reach V8's collector from a running process (--expose-gc at start does the same).
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
