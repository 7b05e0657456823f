// The window's preferences, kept in the data dir (not the browser's storage, which a browser host on another port
// would not see): the layout of each tenant's tables (columns, their order and widths), the theme, the density, the
// side panel's width. A small JSON file, written atomically; a damaged one is set aside and defaults are used.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';

/** Keys are short names; values JSON up to this size, the whole file up to 100 times it. */
export const PREF_VALUE_MAX = 16 * 1024;
const FILE_MAX = 100 * PREF_VALUE_MAX;

export class PrefsStore {
  private readonly file: string;
  private values: Record<string, unknown> = {};

  constructor(dataDir: string) {
    this.file = join(dataDir, 'prefs.json');
    if (!existsSync(this.file)) return;
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        this.values = parsed as Record<string, unknown>;
      else throw new Error('not an object');
    } catch {
      // Kept for a look, never read again; the window starts from its defaults.
      renameSync(this.file, `${this.file}.damaged-${Date.now()}`);
    }
  }

  all(): Record<string, unknown> {
    return { ...this.values };
  }

  /** Sets (or with `null`, removes) one preference and saves the file. */
  set(key: string, value: unknown): void {
    const next = { ...this.values };
    if (value === null) delete next[key];
    else next[key] = value;
    const text = JSON.stringify(next);
    if (text.length > FILE_MAX) throw new Error('Too many preferences are stored; some could not be saved.');
    writeFileAtomic(this.file, text);
    this.values = next;
  }
}
