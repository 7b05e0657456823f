// A users file exported elsewhere, opened as a snapshot: Auth0's NDJSON export (flat `identities[0].x` columns or
// nested), its CSV export, or a JSON array — gzipped or not, UTF-8 or UTF-16, told apart by their first characters.
// Read through the bounded intake (main/intake/): streamed, one record held at a time, every limit and encoding
// problem refused in words with its line. CSV cells come back typed (booleans, counts, whole metadata objects) and
// un-neutralised (a leading apostrophe added against formulas is dropped). Nothing is kept of a refused file.
import { statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { setAtPath, unsafePathProblem } from '../../preload/contract.js';
import { jsonArrayElements, jsonShapeProblem, parseJsonRecord } from '../intake/json.js';
import {
  IntakeError,
  linesOf,
  openText,
  SNAPSHOT_FILE_LIMITS,
  type IntakeLimits,
  firstCharacter,
} from '../intake/text.js';
import { fromExportLine } from './export-lines.js';
import { collectAfterLargeRecord, LARGE_RECORD_CHARS } from '../intake/gc.js';
import { OfflineError } from './offline-error.js';
import type { Sink } from './sink.js';

/** Users handed to the sink at once: this many, or fewer when they are large (memory holds one batch). */
const BATCH = 500;
const BATCH_BYTES = 8 * 1024 * 1024;
const BOOLEAN_FIELDS = /^(email_verified|phone_verified|blocked|identities\[\d\]\.isSocial)$/;
const NUMBER_FIELDS = /^(logins_count)$/;

/** A CSV cell as its value: typed where the field has a type, JSON for whole metadata, without an added apostrophe. */
function csvValue(field: string, cell: string, line: number, limits: IntakeLimits): unknown {
  const text = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell) ? cell.slice(1) : cell;
  if (text === '') return undefined;
  if (BOOLEAN_FIELDS.test(field)) return text === 'true' ? true : text === 'false' ? false : text;
  if (NUMBER_FIELDS.test(field) && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if ((field === 'app_metadata' || field === 'user_metadata') && /^[[{]/.test(text)) {
    const problem = jsonShapeProblem(text, limits);
    if (problem) throw new IntakeError(`Line ${line}: the ${field} cell ${problem}.`, line);
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** A user read from the file, with the line it came from: it must have a user_id. */
function userOf(value: unknown, line: number, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new IntakeError(`${what} ${line} is not a user (a JSON object).`, line);
  const user = fromExportLine(value as Record<string, unknown>) as Record<string, unknown>;
  if (typeof user.user_id !== 'string' || user.user_id === '')
    throw new IntakeError(`${what} ${line} has no user_id.`, line);
  return user;
}

export async function openUsersFile(
  path: string,
  sink: Sink,
  progress: (read: number, bytesRead: number, bytes: number) => void,
  signal: { aborted: boolean },
  limits: IntakeLimits = SNAPSHOT_FILE_LIMITS,
): Promise<void> {
  const bytes = statSync(path).size;
  if (bytes === 0) throw new OfflineError('validation', 'The file is empty.');
  const { info, chunks } = await openText(path, limits);
  const { first, all } = await firstCharacter(chunks);
  const tick = () => progress(sink.count, info.bytesRead(), bytes);
  let batch: Record<string, unknown>[] = [];
  let batchBytes = 0;
  const add = async (user: Record<string, unknown>, bytes: number) => {
    batch.push(user);
    batchBytes += bytes;
    if (batch.length >= BATCH || batchBytes >= BATCH_BYTES) {
      if (signal.aborted) throw new OfflineError('validation', 'Cancelled.');
      await sink.writeUsers(batch);
      batch = [];
      batchBytes = 0;
      if (bytes >= LARGE_RECORD_CHARS) collectAfterLargeRecord();
      tick();
    }
  };
  if (first === '{') {
    for await (const record of linesOf(all, limits.maxRecordBytes)) {
      if (record.text.trim() === '') continue;
      await add(userOf(parseJsonRecord(record, limits), record.line, 'Line'), record.text.length);
    }
  } else if (first === '[') {
    for await (const element of jsonArrayElements(all, limits)) {
      let value: unknown;
      try {
        value = JSON.parse(element.text);
      } catch (err) {
        throw new IntakeError(
          `Element ${element.index} of the array (line ${element.line}) is not valid JSON (${(err as Error).message}).`,
          element.line,
        );
      }
      await add(userOf(value, element.index, 'Element'), element.text.length);
    }
  } else if (first) await csv(all, add, limits);
  await sink.writeUsers(batch);
  if (sink.count === 0) throw new OfflineError('validation', 'The file holds no users.');
}

async function csv(
  chunks: AsyncGenerator<Buffer>,
  add: (user: Record<string, unknown>, bytes: number) => Promise<void>,
  limits: IntakeLimits,
): Promise<void> {
  let header: string[] = [];
  const parser = Readable.from(chunks).pipe(
    parseCsv({
      relax_column_count: false,
      skip_empty_lines: true,
      info: true,
      max_record_size: limits.maxRecordBytes,
      columns: (h: string[]) => {
        if (h.length > limits.maxFields)
          throw new IntakeError(
            `The CSV has ${h.length.toLocaleString('en')} columns; Tenant Desk reads at most ${limits.maxFields.toLocaleString('en')}.`,
            1,
          );
        header = h.map((c) => c.trim());
        for (const [i, c] of header.entries()) {
          const problem = unsafePathProblem(c);
          if (problem) throw new IntakeError(`Column ${i + 1} of the header: ${problem}`, 1);
        }
        const lower = header.map((c) => c.toLowerCase());
        const id = lower.indexOf('user_id') >= 0 ? lower.indexOf('user_id') : lower.indexOf('id');
        if (id < 0)
          throw new IntakeError(
            `The file is neither JSON nor a CSV with a user_id column (its first line: "${h.join(',').slice(0, 120)}").`,
            1,
          );
        header[id] = 'user_id';
        return header;
      },
    }),
  );
  try {
    let bytesBefore = 0;
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number; bytes: number };
    }>) {
      const bytes = info.bytes - bytesBefore;
      bytesBefore = info.bytes;
      const flat: Record<string, unknown> = {};
      for (const field of header) {
        const v = csvValue(field, record[field] ?? '', info.lines, limits);
        if (v === undefined) continue;
        if (/^(app|user)_metadata\./.test(field)) setAtPath(flat, field, v);
        else flat[field] = v;
      }
      await add(userOf(flat, info.lines, 'Line'), bytes);
    }
  } catch (err) {
    if (err instanceof IntakeError || err instanceof OfflineError) throw err;
    const e = err as { code?: string; message: string; lines?: number };
    if (e.code === 'CSV_MAX_RECORD_SIZE')
      throw new IntakeError(
        `The CSV record at line ${e.lines ?? '?'} is longer than the most Tenant Desk reads as one user; is a quote left open?`,
        e.lines,
      );
    if (e.code?.startsWith('CSV_')) throw new IntakeError(`The CSV cannot be read: ${e.message}`, e.lines);
    throw err;
  }
}
