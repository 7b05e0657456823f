// Append-only audit trail (JSONL in the data dir), flushed to disk off the event loop. A write to a tenant is
// recorded twice under one id: `pending` (with its before-state), on disk before the write is sent, then its
// outcome; so even a crash mid-write leaves a trace and what it changed. Refusals by the guard are recorded too.
import { currentReason } from './reason-context.js';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AuditEntry, AuditOutcome, AuditResolution } from '../../preload/contract.js';
import { scrub } from '../errors.js';
import { AppendOnlyFile } from '../fs/append-only-file.js';
import { linesBackward, linesForward } from '../fs/lines.js';

export const AUDIT_FILE = 'audit.jsonl';

export interface AuditQuery {
  tenantId?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
  jobId?: string | undefined;
  /** Entries whose reason (ticket or note) contains this, case-insensitively. */
  reason?: string | undefined;
  /** Only the entries of one incident response (its own entry and each write it made). */
  incidentId?: string | undefined;
  /** Only entries at or after this time (ISO 8601). */
  since?: string | undefined;
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
  if (q.incidentId && e.incidentId !== q.incidentId) return false;
  if (q.reason) {
    const needle = q.reason.trim().toLowerCase();
    const said = `${e.reason?.ticket ?? ''}\n${e.reason?.note ?? ''}`.toLowerCase();
    if (needle && !said.includes(needle)) return false;
  }
  if (q.since && Date.parse(e.time) < Date.parse(q.since)) return false;
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
  private readonly out: AppendOnlyFile;
  /** Writes begun in this process whose outcome is not recorded yet. */
  private readonly open = new Set<string>();
  /** interrupted() calls under way, and the writes finished meanwhile (their outcome may be past what was read). */
  private reading = 0;
  private readonly finishedWhileReading = new Set<string>();
  /** Interrupted writes read back in this run. */
  private readonly resolved = new Map<string, AuditEntry>();

  constructor(
    dataDir: string,
    private readonly osUser: string,
    private readonly now: () => Date = () => new Date(),
    /** Secrets known this run: never written, even by accident inside before/after values. */
    private readonly secrets: () => Iterable<string> = () => [],
    /** An entry that could not be written (a full disk): reported, since the caller has moved on. */
    private readonly onError: (err: unknown) => void = () => undefined,
    /** Where this process's writes are asked from, when not the window. */
    private readonly via?: AuditEntry['via'],
  ) {
    this.file = join(dataDir, AUDIT_FILE);
    this.out = new AppendOnlyFile(this.file);
  }

  private append(entry: AuditEntry): { entry: AuditEntry; written: Promise<void> } {
    const line = scrub(JSON.stringify(entry), this.secrets());
    const written = this.out.append(`${line}\n`);
    written.catch(this.onError);
    return { entry: JSON.parse(line) as AuditEntry, written };
  }

  private stamp(id: string, entry: Omit<AuditEntry, 'id' | 'time' | 'osUser'>): AuditEntry {
    return {
      id,
      time: this.now().toISOString(),
      osUser: this.osUser,
      ...(this.via ? { via: this.via } : {}),
      ...(currentReason() ? { reason: currentReason() } : {}),
      ...entry,
    };
  }

  static newId(): string {
    return `aud_${randomBytes(8).toString('hex')}`;
  }

  /** One entry for something that happened at once (or was refused). */
  record(entry: NewAuditEntry): AuditEntry {
    return this.append(this.stamp(AuditLog.newId(), entry)).entry;
  }

  /**
   * Before a write is sent: its intent and before-state. Returns the id its outcome is recorded under, and a
   * promise that resolves once the entry is on disk — the write must wait for it.
   */
  begin(entry: Omit<NewAuditEntry, 'outcome' | 'error' | 'after'>): { id: string; written: Promise<void> } {
    const id = AuditLog.newId();
    this.open.add(id);
    return {
      id,
      written: this.append(this.stamp(id, { ...entry, outcome: 'pending', pid: process.pid })).written,
    };
  }

  finish(id: string, entry: NewAuditEntry): AuditEntry {
    const settled = this.resolved.get(id);
    // Read back at this start already, as applied or not: that stays the write's one outcome.
    if (settled && settled.resolution !== 'unknown') return settled;
    const { entry: written } = this.append(this.stamp(id, entry));
    this.open.delete(id);
    if (this.reading > 0) this.finishedWhileReading.add(id);
    return written;
  }

  /**
   * Writes left pending by a run that stopped: no outcome recorded, and neither this process's nor that of another
   * Tenant Desk still running (the window and the command line share the data dir). Oldest first.
   */
  async interrupted(alive: (pid: number) => boolean): Promise<AuditEntry[]> {
    this.reading++;
    try {
      await this.flush();
      const pending = new Map<string, AuditEntry>();
      for await (const line of linesForward(this.file)) {
        const e = parse(line);
        if (!e) continue;
        if (e.outcome === 'pending') pending.set(e.id, e);
        else if (e.id) pending.delete(e.id);
      }
      return [...pending.values()].filter(
        (e) =>
          !this.open.has(e.id) &&
          !(e.pid !== undefined && e.pid !== process.pid && alive(e.pid)) &&
          // Finished while the file was being read (its outcome line came after the read): not interrupted.
          !this.finishedWhileReading.has(e.id),
      );
    } finally {
      if (--this.reading === 0) this.finishedWhileReading.clear();
    }
  }

  /** An interrupted write's outcome as read back: recorded under its id, with the resolution in words. */
  resolve(pending: AuditEntry, resolution: AuditResolution, words: string): AuditEntry {
    const { id, time: _time, osUser: _user, outcome: _outcome, pid: _pid, ...rest } = pending;
    const { entry } = this.append(
      this.stamp(id, { ...rest, outcome: 'interrupted', resolution, error: words }),
    );
    this.resolved.set(id, entry);
    return entry;
  }

  /** Resolves once every entry recorded so far is on disk. */
  flush(): Promise<void> {
    return this.out.drain();
  }

  close(): Promise<void> {
    return this.out.close();
  }

  /** Newest first, each write once: its outcome, or pending / interrupted when none was recorded. */
  async list(q: AuditQuery): Promise<AuditEntry[]> {
    await this.flush();
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
    await this.flush();
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
