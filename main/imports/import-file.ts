// Reads a users file for an import (Auth0's JSON array, NDJSON — Auth0's own export converted — or CSV through a
// column mapping; gzipped or not), checks every row against Auth0's import schema and for repeats, and, when
// nothing is wrong, writes it as chunks of at most 500 KB of JSON, ready to send. Runs in the offline worker, so a
// large file never stalls main.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import {
  IMPORT_CHUNK_BYTES,
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
import { OfflineError } from '../offline/offline-error.js';

/** Files past this are refused before they are read (about a quarter of a million users). */
export const MAX_IMPORT_FILE_BYTES = 100 * 1024 * 1024;
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

function detect(text: string, fileName: string): ImportFormat {
  const first = text.trimStart()[0];
  if (first === '[') return 'json';
  if (first === '{') return 'ndjson';
  if (/\.(json)$/i.test(fileName)) return 'json';
  if (/\.(ndjson|jsonl)$/i.test(fileName)) return 'ndjson';
  return 'csv';
}

function readText(path: string): string {
  const size = statSync(path).size;
  if (size > MAX_IMPORT_FILE_BYTES)
    throw new OfflineError(
      'validation',
      `The file is ${(size / 1024 / 1024).toFixed(1)} MB; an import takes at most ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB. Split it into smaller files.`,
    );
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_IMPORT_FILE_BYTES + 1 });
    } catch (err) {
      throw new OfflineError(
        'validation',
        (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
          ? `Unzipped, the file is over ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB; split it into smaller files.`
          : 'The file looks gzipped but does not unzip: it is damaged or cut short.',
      );
    }
  }
  if (bytes.length === 0) throw new OfflineError('validation', 'The file is empty.');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\u0000'))
    throw new OfflineError('validation', 'This is not a text file (JSON, NDJSON or CSV).');
  return text.replace(/^\uFEFF/, '');
}

/** Each record of the file with its row (1-based line of NDJSON / CSV, element of a JSON array). */
function* records(
  text: string,
  format: ImportFormat,
): Generator<{ row: number; value: unknown } | { row: number; problem: string }> {
  if (format === 'json') {
    let all: unknown;
    try {
      all = JSON.parse(text);
    } catch (err) {
      throw new OfflineError('validation', `The file is not valid JSON: ${(err as Error).message}.`);
    }
    if (!Array.isArray(all))
      throw new OfflineError(
        'validation',
        "Auth0's import JSON is an array of users ([{…}, {…}]); this file is not an array.",
      );
    for (const [i, value] of all.entries()) yield { row: i + 1, value };
    return;
  }
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      yield { row: i + 1, value: JSON.parse(line) as unknown };
    } catch {
      yield { row: i + 1, problem: 'This line is not valid JSON (NDJSON has one JSON object per line).' };
    }
  }
}

export function prepareImport(o: {
  path: string;
  fileName: string;
  dir: string;
  format?: ImportFormat;
  mapping?: Record<string, string>;
}): PreparedImport {
  const text = readText(o.path);
  const format = o.format ?? detect(text, o.fileName);
  const errors: ImportRowError[] = [];
  let errorCount = 0;
  const fail = (row: number, message: string, field?: string) => {
    errorCount++;
    if (errors.length < ERRORS_KEPT) errors.push({ row, message, ...(field ? { field } : {}) });
  };
  const notes: string[] = [];
  const users: { row: number; user: ImportUser }[] = [];
  let rows = 0;
  let converted = false;
  const result: Partial<PreparedImport> = {};

  if (format === 'csv') {
    let table: string[][];
    try {
      table = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
    } catch (err) {
      throw new OfflineError('validation', `The file is not valid CSV: ${(err as Error).message}`);
    }
    const columns = (table[0] ?? []).map((c) => c.trim());
    if (columns.length === 0 || table.length < 2)
      throw new OfflineError('validation', 'The CSV has no rows under its header.');
    const mapping = o.mapping ?? suggestMapping(columns);
    result.columns = columns;
    result.mapping = mapping;
    result.sample = table.slice(1, 6);
    const problems = mappingProblems(columns, mapping);
    for (const p of problems) fail(1, p);
    if (problems.length === 0)
      for (const [i, cells] of table.slice(1).entries()) {
        const row = i + 2;
        rows++;
        const { user, problems: cellProblems } = csvRowToUser(columns, cells, mapping);
        if (cellProblems.length) for (const p of cellProblems) fail(row, p.message, p.field);
        else users.push({ row, user });
      }
    else rows = table.length - 1;
  } else {
    const dropped = new Map<string, number>();
    for (const r of records(text, format)) {
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
        else users.push({ row: r.row, user: c.user });
      } else users.push({ row: r.row, user: record });
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

  // Every row against the schema, then repeats: a second row with an email or user id already seen.
  const emails = new Map<string, number>();
  const ids = new Map<string, number>();
  const good: { row: number; user: ImportUser; json: string }[] = [];
  for (const { row, user } of users) {
    const problems = importProblems(user);
    if (problems.length) {
      for (const p of problems) fail(row, p.message, p.field);
      continue;
    }
    const email = String(user.email).toLowerCase();
    const seen = emails.get(email);
    if (seen !== undefined) {
      fail(row, `Repeats the email ${email} of row ${seen}.`, 'email');
      continue;
    }
    emails.set(email, row);
    if (typeof user.user_id === 'string') {
      const seenId = ids.get(user.user_id);
      if (seenId !== undefined) {
        fail(row, `Repeats the user_id ${user.user_id} of row ${seenId}.`, 'user_id');
        continue;
      }
      ids.set(user.user_id, row);
    }
    const json = JSON.stringify(user);
    if (Buffer.byteLength(json) + 2 > IMPORT_CHUNK_BYTES) {
      fail(row, 'This user alone is over the 500 KB Auth0 takes in one file.');
      continue;
    }
    good.push({ row, user, json });
  }

  // Chunks are written only for a file without problems: nothing is ever sent from one with any.
  rmSync(o.dir, { recursive: true, force: true });
  const chunks: PreparedChunk[] = [];
  if (errorCount === 0 && good.length > 0) {
    mkdirSync(o.dir, { recursive: true, mode: 0o700 });
    let part: typeof good = [];
    let bytes = 2;
    const flush = () => {
      if (part.length === 0) return;
      const index = chunks.length;
      const body = `[${part.map((p) => p.json).join(',')}]`;
      writeFileSync(join(o.dir, `chunk-${index}.json`), body, { mode: 0o600 });
      writeFileSync(
        join(o.dir, `rows-${index}.json`),
        JSON.stringify(part.map((p) => [p.row, String(p.user.email).toLowerCase()])),
        { mode: 0o600 },
      );
      chunks.push({
        index,
        firstRow: part[0]!.row,
        lastRow: part[part.length - 1]!.row,
        rows: part.length,
        bytes: Buffer.byteLength(body),
      });
      part = [];
      bytes = 2;
    };
    for (const g of good) {
      const size = Buffer.byteLength(g.json) + (part.length ? 1 : 0);
      if (bytes + size > IMPORT_CHUNK_BYTES) flush();
      bytes += Buffer.byteLength(g.json) + (part.length ? 1 : 0);
      part.push(g);
    }
    flush();
  } else if (errorCount === 0) fail(1, 'The file has no users.');
  errors.sort((a, b) => a.row - b.row);
  return {
    format,
    converted,
    notes,
    ...result,
    rows,
    valid: good.length,
    errors,
    errorCount,
    chunks,
  };
}

/** The chunk files of a prepared import (a test and the service read them back). */
export function chunkFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^chunk-\d+\.json$/.test(f))
    .sort((a, b) => Number(a.slice(6, -5)) - Number(b.slice(6, -5)));
}
