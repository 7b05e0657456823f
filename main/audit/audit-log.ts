// Append-only audit trail (JSONL in the data dir): one line per write, each appended whole with O_APPEND.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuditEntry } from '../../preload/contract.js';
import { scrub } from '../errors.js';

export const AUDIT_FILE = 'audit.jsonl';

export interface AuditQuery {
  tenantId?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
  limit: number;
}

export class AuditLog {
  readonly file: string;

  constructor(
    dataDir: string,
    private readonly osUser: string,
    private readonly now: () => Date = () => new Date(),
    /** Secrets known this run: never written, even by accident inside before/after values. */
    private readonly secrets: () => Iterable<string> = () => [],
  ) {
    this.file = join(dataDir, AUDIT_FILE);
  }

  record(entry: Omit<AuditEntry, 'time' | 'osUser'>): AuditEntry {
    const full: AuditEntry = { time: this.now().toISOString(), osUser: this.osUser, ...entry };
    const line = scrub(JSON.stringify(full), this.secrets());
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    appendFileSync(this.file, `${line}\n`, { mode: 0o600, flag: 'a' });
    return JSON.parse(line) as AuditEntry;
  }

  /** Newest first. A torn last line (a crash mid-append) is skipped, never fatal. */
  list(q: AuditQuery): AuditEntry[] {
    if (!existsSync(this.file)) return [];
    const out: AuditEntry[] = [];
    const lines = readFileSync(this.file, 'utf8').split('\n');
    for (let i = lines.length - 1; i >= 0 && out.length < q.limit; i--) {
      const line = lines[i];
      if (!line) continue;
      let e: AuditEntry;
      try {
        e = JSON.parse(line) as AuditEntry;
      } catch {
        continue;
      }
      if (q.tenantId && e.tenantId !== q.tenantId) continue;
      if (q.action && e.action !== q.action) continue;
      if (q.target && !(e.target ?? '').includes(q.target)) continue;
      out.push(e);
    }
    return out;
  }
}
