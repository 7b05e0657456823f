// Where streamed users go (in the offline worker): read from their JSON text, optionally kept only if they match a
// query (Auth0's rules, the shared engine, a few hundred at a time), then written to a file, kept in a snapshot, or
// both. An abort removes whatever was half-written.
import { rmSync } from 'node:fs';
import type { ExportField, ExportFormat } from '../../preload/contract.js';
import { parseQuery, UserIndex } from '../../query/index.js';
import { fromExportLine } from './export-lines.js';
import { openWriter, type RowWriter } from './file-writers.js';
import { SnapshotWriter, type SnapshotMeta } from '../snapshots/snapshot-file.js';
import { OfflineError } from './offline-error.js';
import { jsonShapeProblem } from '../intake/json.js';
import { SNAPSHOT_FILE_LIMITS } from '../intake/text.js';
import { collectAfterLargeRecord, LARGE_RECORD_CHARS } from '../intake/gc.js';

export interface SinkSpec {
  /** 'export-line': a line of Auth0's JSON export (identities[i].x columns); 'user': a user's JSON. */
  input: 'export-line' | 'user';
  /** Keep only the users matching this query. */
  filter?: string;
  file?: { path: string; format: ExportFormat; fields: ExportField[]; bom: boolean };
  snapshot?: { path: string; meta: Omit<SnapshotMeta, 'count'> };
}

export interface SinkResult {
  read: number;
  written: number;
  notes: string[];
  snapshot?: SnapshotMeta;
}

const FILTER_BATCH = 250;

export class Sink {
  private readonly writer: RowWriter | null;
  private readonly snapshot: SnapshotWriter | null;
  private read = 0;
  private written = 0;
  private pending: Record<string, unknown>[] = [];
  private closed = false;

  constructor(private readonly spec: SinkSpec) {
    if (spec.filter) {
      try {
        parseQuery(spec.filter);
      } catch (err) {
        throw new OfflineError('invalid_query', (err as Error).message);
      }
    }
    this.snapshot = spec.snapshot ? new SnapshotWriter(spec.snapshot.path) : null;
    try {
      this.writer = spec.file ? openWriter(spec.file) : null;
    } catch (err) {
      this.snapshot?.abort();
      throw err;
    }
  }

  /** Takes a batch of JSON texts; resolves once they are written (so the caller paces itself on the disk). */
  async write(texts: string[]): Promise<{ read: number; written: number }> {
    for (const text of texts) {
      if (!text.trim()) continue;
      const shape = jsonShapeProblem(text, SNAPSHOT_FILE_LIMITS);
      if (shape) throw new OfflineError('validation', `Line ${this.read + 1} ${shape}.`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new OfflineError(
          'validation',
          `Line ${this.read + 1} is not valid JSON (${(err as Error).message}).`,
        );
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new OfflineError('validation', `Line ${this.read + 1} is not a user (a JSON object).`);
      const user = (
        this.spec.input === 'export-line' ? fromExportLine(parsed as Record<string, unknown>) : parsed
      ) as Record<string, unknown>;
      if (typeof user.user_id !== 'string' || user.user_id === '')
        throw new OfflineError('validation', `Line ${this.read + 1} has no user_id.`);
      this.read++;
      this.pending.push(user);
      if (this.pending.length >= FILTER_BATCH) await this.flush();
      if (text.length >= LARGE_RECORD_CHARS) {
        await this.flush();
        collectAfterLargeRecord();
      }
    }
    await this.flush();
    return { read: this.read, written: this.written };
  }

  /** Writes objects already parsed (a snapshot's own users, a file read in the worker). */
  async writeUsers(users: Record<string, unknown>[]): Promise<void> {
    for (const u of users) {
      if (typeof u.user_id !== 'string' || u.user_id === '')
        throw new OfflineError('validation', `User ${this.read + 1} has no user_id.`);
      this.read++;
      this.pending.push(u);
      if (this.pending.length >= FILTER_BATCH) await this.flush();
    }
    await this.flush();
  }

  /** Users read so far. */
  get count(): number {
    return this.read;
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    let users = this.pending;
    this.pending = [];
    if (this.spec.filter) {
      const index = new UserIndex();
      for (const u of users) index.upsert(u);
      users = index.matchAll(this.spec.filter);
    }
    for (const u of users) {
      if (this.snapshot) {
        try {
          this.snapshot.add(u);
        } catch (err) {
          throw new OfflineError('validation', `Cannot keep this as a snapshot: ${(err as Error).message}.`);
        }
      }
      if (this.writer) await this.writer.write(u);
      this.written++;
    }
  }

  async finish(): Promise<SinkResult> {
    await this.flush();
    const notes: string[] = [];
    if (this.writer) notes.push(...(await this.writer.finish()).notes);
    let snapshot: SnapshotMeta | undefined;
    try {
      snapshot =
        this.snapshot && this.spec.snapshot ? await this.snapshot.finish(this.spec.snapshot.meta) : undefined;
    } catch (err) {
      throw new OfflineError('validation', `Cannot keep this as a snapshot: ${(err as Error).message}.`);
    }
    this.closed = true;
    return { read: this.read, written: this.written, notes, ...(snapshot ? { snapshot } : {}) };
  }

  /** Stops and removes what was half-written (the file, the snapshot). */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer?.abort().catch(() => undefined);
    this.snapshot?.abort();
    if (this.spec.file) rmSync(this.spec.file.path, { force: true });
  }
}
