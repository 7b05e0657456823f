// Append-only audit trail (JSONL in the data dir), flushed to disk line by line. A write to a tenant is recorded
// twice under one id: `pending` (with its before-state) just before it is sent, then its outcome; so even a crash
// mid-write leaves a trace and what it changed. Refusals by the production guard are recorded too.
import { closeSync, fdatasyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { AuditEntry, AuditOutcome } from '../../preload/contract.js';
import { scrub } from '../errors.js';
import { linesBackward, linesForward } from '../fs/lines.js';

export const AUDIT_FILE = 'audit.jsonl';

export interface AuditQuery {
  tenantId?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
  jobId?: string | undefined;
  limit: number;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'time' | 'osUser' | 'outcome'> & {
  outcome: Exclude<AuditOutcome, 'pending' | 'interrupted'>;
};

function matches(e: AuditEntry, q: Omit<AuditQuery, 'limit'>): boolean {
  if (q.tenantId && e.tenantId !== q.tenantId) return false;
  if (q.action && e.action !== q.action) return false;
  if (q.target && !(e.target ?? '').includes(q.target)) return false;
  if (q.jobId && e.jobId !== q.jobId) return false;
  return true;
}

function parse(line: string): AuditEntry | null {
  try {
    const e = JSON.parse(line) as AuditEntry;
    return e && typeof e === 'object' && typeof e.action === 'string' ? e : null;
  } catch {
    return null; // a torn line from a crash mid-append
  }
}

export class AuditLog {
  readonly file: string;
  /** Writes begun in this process whose outcome is not recorded yet. */
  private readonly open = new Set<string>();

  constructor(
    dataDir: string,
    private readonly osUser: string,
    private readonly now: () => Date = () => new Date(),
    /** Secrets known this run: never written, even by accident inside before/after values. */
    private readonly secrets: () => Iterable<string> = () => [],
  ) {
    this.file = join(dataDir, AUDIT_FILE);
  }

  private append(entry: AuditEntry): AuditEntry {
    const line = scrub(JSON.stringify(entry), this.secrets());
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, `${line}\n`);
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return JSON.parse(line) as AuditEntry;
  }

  private stamp(id: string, entry: Omit<AuditEntry, 'id' | 'time' | 'osUser'>): AuditEntry {
    return { id, time: this.now().toISOString(), osUser: this.osUser, ...entry };
  }

  static newId(): string {
    return `aud_${randomBytes(8).toString('hex')}`;
  }

  /** One entry for something that happened at once (or was refused). */
  record(entry: NewAuditEntry): AuditEntry {
    return this.append(this.stamp(AuditLog.newId(), entry));
  }

  /** Before a write is sent: its intent and before-state. Returns the id its outcome is recorded under. */
  begin(entry: Omit<NewAuditEntry, 'outcome' | 'error' | 'after'>): string {
    const id = AuditLog.newId();
    this.open.add(id);
    this.append(this.stamp(id, { ...entry, outcome: 'pending' }));
    return id;
  }

  finish(id: string, entry: NewAuditEntry): AuditEntry {
    const written = this.append(this.stamp(id, entry));
    this.open.delete(id);
    return written;
  }

  /** Newest first, each write once: its outcome, or pending / interrupted when none was recorded. */
  list(q: AuditQuery): AuditEntry[] {
    const out: AuditEntry[] = [];
    const settled = new Set<string>();
    for (const line of linesBackward(this.file)) {
      if (out.length >= q.limit) break;
      const e = parse(line);
      if (!e) continue;
      if (e.outcome === 'pending') {
        if (settled.has(e.id)) continue;
        if (!this.open.has(e.id)) e.outcome = 'interrupted';
      } else if (e.id) settled.add(e.id);
      if (matches(e, q)) out.push(e);
    }
    return out;
  }

  /** Oldest first, streamed, each write once (as in `list`). */
  async *entries(q: Omit<AuditQuery, 'limit'>): AsyncGenerator<AuditEntry> {
    // A pending line is held until its outcome shows up further on; what is left at the end was interrupted.
    const pending = new Map<string, AuditEntry>();
    for await (const line of linesForward(this.file)) {
      const e = parse(line);
      if (!e) continue;
      if (e.outcome === 'pending') {
        pending.set(e.id, e);
        continue;
      }
      if (e.id) pending.delete(e.id);
      if (matches(e, q)) yield e;
    }
    for (const e of pending.values()) {
      if (!this.open.has(e.id)) e.outcome = 'interrupted';
      if (matches(e, q)) yield e;
    }
  }
}
