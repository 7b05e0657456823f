// Reads a users file for an import (Auth0's JSON array, NDJSON — Auth0's own export converted — or CSV through a
// column mapping; gzipped or not, UTF-8 or UTF-16) through the bounded intake (main/intake/): streamed, one record
// held at a time, each limit or encoding problem refused in words with its line. Every row is checked against Auth0's
// import schema and for repeats as it comes; the rows that pass are written as chunks of at most 500 KB of JSON as
// they come too, and all of them are removed again if any row has a problem — nothing is ever sent from such a file.
// Runs in the offline worker, so a large file never stalls main.
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import {
  IMPORT_CHUNK_BYTES,
  unsafePathProblem,
  type ImportFormat,
  type ImportPreview,
  type ImportRowError,
} from '../../preload/contract.js';
import {
  convertExported,
  csvRowToUser,
  importProblems,
  looksExported,
  mappingProblems,
  suggestMapping,
  type ImportUser,
} from './import-schema.js';
import { jsonArrayElements, parseJsonRecord } from '../intake/json.js';
import {
  IMPORT_FILE_LIMITS,
  IntakeError,
  linesOf,
  openText,
  sizeInWords,
  type IntakeLimits,
  firstCharacter,
} from '../intake/text.js';
import { OfflineError } from '../offline/offline-error.js';

/** Files past this are refused before they are read (about a quarter of a million users). */
export const MAX_IMPORT_FILE_BYTES = IMPORT_FILE_LIMITS.maxBytes;
/** Rows with a problem kept to show; the count goes on. */
const ERRORS_KEPT = 500;

export interface PreparedChunk {
  index: number;
  firstRow: number;
  lastRow: number;
  rows: number;
  bytes: number;
}

/** What the window's preview says of the file, and the chunks written for it. */
export type PreparedImport = Pick<
  ImportPreview,
  | 'format'
  | 'converted'
  | 'notes'
  | 'columns'
  | 'mapping'
  | 'sample'
  | 'rows'
  | 'valid'
  | 'errors'
  | 'errorCount'
> & { chunks: PreparedChunk[] };

function detect(first: string, fileName: string): ImportFormat {
  if (first === '[') return 'json';
  if (first === '{') return 'ndjson';
  if (/\.(json)$/i.test(fileName)) return 'json';
  if (/\.(ndjson|jsonl)$/i.test(fileName)) return 'ndjson';
  return 'csv';
}

/** Each record of a JSON or NDJSON file with its row (line of NDJSON, element of a JSON array). */
async function* jsonRecords(
  chunks: AsyncGenerator<Buffer>,
  format: 'json' | 'ndjson',
  limits: IntakeLimits,
): AsyncGenerator<{ row: number; value: unknown } | { row: number; problem: string }> {
  if (format === 'json') {
    for await (const element of jsonArrayElements(chunks, limits)) {
      try {
        yield { row: element.index, value: JSON.parse(element.text) as unknown };
      } catch {
        yield { row: element.index, problem: `This element (line ${element.line}) is not valid JSON.` };
      }
    }
    return;
  }
  for await (const record of linesOf(chunks, limits.maxRecordBytes)) {
    if (record.text.trim() === '') continue;
    try {
      yield { row: record.line, value: parseJsonRecord(record, limits) };
    } catch (err) {
      // Deeper or wider than any user: the file is refused whole. Not JSON: that row is a problem like any other.
      if (!/is not valid JSON/.test((err as Error).message)) throw err;
      yield {
        row: record.line,
        problem: 'This line is not valid JSON (NDJSON has one JSON object per line).',
      };
    }
  }
}

/** The rows of a CSV file, the header first, each with its line; a record past the limit refused with its line. */
async function* csvRows(
  chunks: AsyncGenerator<Buffer>,
  limits: IntakeLimits,
): AsyncGenerator<{ line: number; cells: string[] }> {
  const parser = Readable.from(chunks).pipe(
    parse({
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      max_record_size: limits.maxRecordBytes,
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (record.length > limits.maxFields)
        throw new IntakeError(
          `Line ${info.lines} has ${record.length.toLocaleString('en')} cells; Tenant Desk reads at most ${limits.maxFields.toLocaleString('en')} columns.`,
          info.lines,
        );
      yield { line: info.lines, cells: record };
    }
  } catch (err) {
    if (err instanceof IntakeError) throw err;
    const e = err as { code?: string; message: string; lines?: number };
    if (e.code === 'CSV_MAX_RECORD_SIZE')
      throw new IntakeError(
        `The CSV record at line ${e.lines ?? '?'} is longer than ${sizeInWords(limits.maxRecordBytes)}, more than any user; is a quote left open?`,
        e.lines,
      );
    if (e.code?.startsWith('CSV_'))
      throw new OfflineError('validation', `The file is not valid CSV: ${e.message}`);
    throw err;
  }
}

/** Chunk files written as good rows come: at most IMPORT_CHUNK_BYTES of JSON each, with their rows and emails. */
class ChunkWriter {
  readonly chunks: PreparedChunk[] = [];
  private part: { row: number; email: string; json: string }[] = [];
  private bytes = 2;
  private made = false;

  constructor(private readonly dir: string) {}

  add(row: number, user: ImportUser, json: string): void {
    const size = Buffer.byteLength(json) + (this.part.length ? 1 : 0);
    if (this.bytes + size > IMPORT_CHUNK_BYTES) this.flush();
    this.bytes += Buffer.byteLength(json) + (this.part.length ? 1 : 0);
    this.part.push({ row, email: String(user.email).toLowerCase(), json });
  }

  private write(name: string, text: string): void {
    if (!this.made) mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.made = true;
    const fd = openSync(join(this.dir, name), 'w', 0o600);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  }

  flush(): void {
    if (this.part.length === 0) return;
    const index = this.chunks.length;
    const body = `[${this.part.map((p) => p.json).join(',')}]`;
    this.write(`chunk-${index}.json`, body);
    this.write(`rows-${index}.json`, JSON.stringify(this.part.map((p) => [p.row, p.email])));
    this.chunks.push({
      index,
      firstRow: this.part[0]!.row,
      lastRow: this.part[this.part.length - 1]!.row,
      rows: this.part.length,
      bytes: Buffer.byteLength(body),
    });
    this.part = [];
    this.bytes = 2;
  }

  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
    this.chunks.length = 0;
  }
}

export async function prepareImport(o: {
  path: string;
  fileName: string;
  dir: string;
  format?: ImportFormat;
  mapping?: Record<string, string>;
}): Promise<PreparedImport> {
  const limits = IMPORT_FILE_LIMITS;
  const size = statSync(o.path).size;
  if (size > limits.maxBytes)
    throw new OfflineError(
      'validation',
      `The file is ${sizeInWords(size)}; an import takes at most ${sizeInWords(limits.maxBytes)}. Split it into smaller files.`,
    );
  if (size === 0) throw new OfflineError('validation', 'The file is empty.');
  const { chunks: text } = await openText(o.path, limits);
  const { first, all } = await firstCharacter(text);
  if (!first) throw new OfflineError('validation', 'The file is empty.');
  const format = o.format ?? detect(first, o.fileName);
  const errors: ImportRowError[] = [];
  let errorCount = 0;
  const fail = (row: number, message: string, field?: string) => {
    errorCount++;
    if (errors.length < ERRORS_KEPT) errors.push({ row, message, ...(field ? { field } : {}) });
  };
  const notes: string[] = [];
  let rows = 0;
  let valid = 0;
  let converted = false;
  const result: Partial<PreparedImport> = {};

  // Chunks are written as rows pass, and removed at the end if any row did not.
  rmSync(o.dir, { recursive: true, force: true });
  const writer = new ChunkWriter(o.dir);
  const emails = new Map<string, number>();
  const ids = new Map<string, number>();
  /** A user as read: against the schema, then repeats (a second row with an email or user id already seen). */
  const take = (row: number, user: ImportUser) => {
    const problems = importProblems(user);
    if (problems.length) {
      for (const p of problems) fail(row, p.message, p.field);
      return;
    }
    const email = String(user.email).toLowerCase();
    const seen = emails.get(email);
    if (seen !== undefined) return fail(row, `Repeats the email ${email} of row ${seen}.`, 'email');
    emails.set(email, row);
    if (typeof user.user_id === 'string') {
      const seenId = ids.get(user.user_id);
      if (seenId !== undefined)
        return fail(row, `Repeats the user_id ${user.user_id} of row ${seenId}.`, 'user_id');
      ids.set(user.user_id, row);
    }
    const json = JSON.stringify(user);
    if (Buffer.byteLength(json) + 2 > IMPORT_CHUNK_BYTES)
      return fail(row, 'This user alone is over the 500 KB Auth0 takes in one file.');
    valid++;
    if (errorCount === 0) writer.add(row, user, json);
  };

  try {
    if (format === 'csv') {
      let columns: string[] | null = null;
      let mapping: Record<string, string> = {};
      let mappable = false;
      const sample: string[][] = [];
      for await (const { line, cells } of csvRows(all, limits)) {
        if (!columns) {
          columns = cells.map((c) => c.trim());
          for (const [i, c] of columns.entries()) {
            const problem = unsafePathProblem(c);
            if (problem) throw new IntakeError(`Column ${i + 1} of the header: ${problem}`, line);
          }
          mapping = o.mapping ?? suggestMapping(columns);
          const problems = mappingProblems(columns, mapping);
          for (const p of problems) fail(1, p);
          mappable = problems.length === 0;
          continue;
        }
        rows++;
        if (sample.length < 5) sample.push(cells);
        if (!mappable) continue;
        const { user, problems } = csvRowToUser(columns, cells, mapping);
        if (problems.length) for (const p of problems) fail(line, p.message, p.field);
        else take(line, user);
      }
      if (!columns || rows === 0)
        throw new OfflineError('validation', 'The CSV has no rows under its header.');
      Object.assign(result, { columns, mapping, sample });
    } else {
      const dropped = new Map<string, number>();
      for await (const r of jsonRecords(all, format, limits)) {
        rows++;
        if ('problem' in r) {
          fail(r.row, r.problem);
          continue;
        }
        const value = r.value;
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          fail(r.row, 'Each user is a JSON object.');
          continue;
        }
        const record = value as Record<string, unknown>;
        if (looksExported(record)) {
          converted = true;
          const c = convertExported(record, dropped);
          if ('problem' in c) fail(r.row, c.problem.message, c.problem.field);
          else take(r.row, c.user);
        } else take(r.row, record);
      }
      if (converted) {
        notes.push(
          'This is Auth0\'s users export: converted to its import schema (user ids without "auth0|").',
        );
        if (dropped.size)
          notes.push(
            `Left out, as the import does not take them: ${[...dropped]
              .map(([k, n]) => `${k} (${n.toLocaleString('en')})`)
              .join(', ')}.`,
          );
      }
    }
    if (errorCount === 0) writer.flush();
    else writer.discard();
  } catch (err) {
    writer.discard();
    throw err;
  }
  if (errorCount === 0 && valid === 0) fail(1, 'The file has no users.');
  errors.sort((a, b) => a.row - b.row);
  return {
    format,
    converted,
    notes,
    ...result,
    rows,
    valid,
    errors,
    errorCount,
    chunks: errorCount === 0 ? writer.chunks : [],
  };
}
