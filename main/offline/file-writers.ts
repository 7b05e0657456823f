// Users written to a file as they stream in: CSV (RFC 4180, UTF-8, an optional BOM for Excel; csv-stringify with
// escape_formulas), NDJSON, XLSX (exceljs's streaming writer), or Parquet (DuckDB, in the snapshot builder's process). In CSV and XLSX alike a cell a spreadsheet would run
// as a formula (= + - @, tab, CR, and their full-width forms) is neutralised with a leading apostrophe — the same rule
// as csv-stringify's. Nothing is held whole in memory; a write waits while the disk catches up.
import { createWriteStream, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { partName } from '../fs/sweep.js';
import { snapshotBuilder } from '../snapshots/snapshot-file.js';
import { valueAtPath as valueAt, type ExportField, type ExportFormat } from '../../preload/contract.js';

/** Excel's limits: characters in a cell, rows in a sheet. */
export const XLSX_CELL_MAX = 32_767;
export const XLSX_ROWS_MAX = 1_048_576;

const FORMULA_START = new Set(['=', '+', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/** csv-stringify's escape_formulas for a text value: a leading apostrophe where a spreadsheet would see a formula. */
export function neutralize(text: string): string {
  const c = text[0];
  return c !== undefined && (c === '-' || FORMULA_START.has(c)) ? `'${text}` : text;
}

/** A value as CSV text: nothing for no value, JSON for objects and arrays, the value's text otherwise. */
export function cellText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export interface WriterSpec {
  path: string;
  format: ExportFormat;
  fields: ExportField[];
  bom: boolean;
  /** Where the bytes go (tests point it at a full disk); the file at `path` by default. */
  open?: (path: string) => Writable;
}

export interface RowWriter {
  write(user: Record<string, unknown>): Promise<void>;
  /** Flushes and syncs the file; returns what was written and anything worth saying about it. */
  finish(): Promise<{ rows: number; notes: string[] }>;
  /** Stops writing (the caller removes the file). */
  abort(): Promise<void>;
}

const columnsOf = (fields: ExportField[]) => fields.map((f) => f.exportAs ?? f.name);

interface Failure {
  /** The output's error, if it failed. */
  error(): Error | null;
  /** Rejects as soon as the output fails. */
  readonly failed: Promise<never>;
}

/** Waits for a stream to take more, failing at once if the output failed (a full disk, a path it cannot write). */
async function drained(stream: Writable, failure: Failure): Promise<void> {
  const err = failure.error();
  if (err) throw err;
  await Promise.race([once(stream, 'drain'), failure.failed]);
}

function watch(stream: Writable): Failure {
  let failure: Error | null = null;
  let reject: (err: Error) => void = () => undefined;
  const failed = new Promise<never>((_, r) => (reject = r));
  failed.catch(() => undefined);
  stream.on('error', (err) => {
    failure ??= err;
    reject(err);
  });
  return { error: () => failure, failed };
}

export function openWriter(spec: WriterSpec): RowWriter {
  if (spec.format === 'parquet') return parquetWriter(spec);
  // A download of this run: renamed into place once whole, never synced (see DownloadStore.reserve).
  const out = (spec.open ?? ((p) => createWriteStream(p, { mode: 0o600, highWaterMark: 1 << 20 })))(
    spec.path,
  );
  const writer =
    spec.format === 'csv'
      ? csvWriter(spec, out)
      : spec.format === 'ndjson'
        ? ndjsonWriter(spec, out)
        : xlsxWriter(spec, out);
  return {
    ...writer,
    finish: () => writer.finish(),
  };
}

function csvWriter(spec: WriterSpec, out: Writable): RowWriter {
  const failed = watch(out);
  const csv = stringify({
    header: true,
    columns: columnsOf(spec.fields),
    escape_formulas: true,
    bom: spec.bom,
  });
  csv.on('error', () => undefined);
  csv.pipe(out);
  let rows = 0;
  return {
    async write(user) {
      const record = spec.fields.map((f) => {
        const v = valueAt(user, f.name);
        // Numbers stay numbers (a negative count is not a formula); everything else as text.
        return typeof v === 'number' ? v : cellText(v);
      });
      rows++;
      if (!csv.write(record)) await drained(csv, failed);
      const err = failed.error();
      if (err) throw err;
    },
    async finish() {
      csv.end();
      await Promise.race([finished(out), failed.failed]);
      const err = failed.error();
      if (err) throw err;
      return { rows, notes: [] };
    },
    async abort() {
      csv.unpipe(out);
      csv.destroy();
      out.destroy();
    },
  };
}

/** One JSON object per line, a field's column only where the user has a value — or, `everyColumn`, each column
 * in each line (null where there is no value: the rows a Parquet file is written from). */
function ndjsonWriter(spec: WriterSpec, out: Writable, everyColumn = false): RowWriter {
  const failed = watch(out);
  let rows = 0;
  return {
    async write(user) {
      const line: Record<string, unknown> = {};
      for (const f of spec.fields) {
        const v = valueAt(user, f.name);
        if (v !== undefined) line[f.exportAs ?? f.name] = v;
        else if (everyColumn) line[f.exportAs ?? f.name] = null;
      }
      rows++;
      if (!out.write(`${JSON.stringify(line)}\n`)) await drained(out, failed);
      const err = failed.error();
      if (err) throw err;
    },
    async finish() {
      out.end();
      await Promise.race([finished(out), failed.failed]);
      const err = failed.error();
      if (err) throw err;
      return { rows, notes: [] };
    },
    async abort() {
      out.destroy();
    },
  };
}

/** A value as an XLSX cell: numbers and booleans typed, text neutralised and kept within Excel's cell limit. */
function xlsxCell(v: unknown, cut: { count: number }): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  let text = neutralize(cellText(v));
  if (text.length > XLSX_CELL_MAX) {
    cut.count++;
    const note = ` [cut: ${text.length} characters]`;
    text = text.slice(0, XLSX_CELL_MAX - note.length) + note;
  }
  return text;
}

/**
 * exceljs hands a sheet's rows to its zip pipeline (archiver's streams, deflate in the thread pool) as they are added,
 * and that pipeline moves only when the event loop turns: rows added in one go pile up in it. Measured with 100,000
 * users' rows in a process of its own: a peak of 152 MB added in one go, 122 MB with a turn of the loop every 64 rows.
 */
const XLSX_ROWS_PER_TURN = 64;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function xlsxWriter(spec: WriterSpec, out: Writable): RowWriter {
  const failed = watch(out);
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const headers = columnsOf(spec.fields).map(neutralize);
  let sheet: ExcelJS.Worksheet | null = null;
  let sheets = 0;
  let inSheet = 0;
  let rows = 0;
  const cut = { count: 0 };
  const newSheet = () => {
    sheet?.commit();
    sheets++;
    sheet = book.addWorksheet(sheets === 1 ? 'Users' : `Users (${sheets})`);
    sheet.addRow(headers).commit();
    inSheet = 1;
  };
  return {
    async write(user) {
      // Past Excel's row limit, the users go on in another sheet.
      if (!sheet || inSheet >= XLSX_ROWS_MAX) newSheet();
      sheet!.addRow(spec.fields.map((f) => xlsxCell(valueAt(user, f.name), cut))).commit();
      inSheet++;
      rows++;
      if (rows % XLSX_ROWS_PER_TURN === 0) await turn();
      if (out.writableNeedDrain) await drained(out, failed);
      const err = failed.error();
      if (err) throw err;
    },
    async finish() {
      if (!sheet) newSheet();
      (sheet as ExcelJS.Worksheet | null)?.commit();
      await Promise.race([book.commit(), failed.failed]);
      if (!out.writableFinished) await Promise.race([finished(out), failed.failed]);
      const err = failed.error();
      if (err) throw err;
      const notes: string[] = [];
      if (cut.count)
        notes.push(
          `${cut.count} cell${cut.count === 1 ? ' was' : 's were'} longer than Excel's ${XLSX_CELL_MAX.toLocaleString('en')} characters and ${cut.count === 1 ? 'was' : 'were'} cut (CSV and NDJSON keep them whole)`,
        );
      if (sheets > 1)
        notes.push(
          `${sheets} sheets: Excel holds ${(XLSX_ROWS_MAX - 1).toLocaleString('en')} users per sheet`,
        );
      return { rows, notes };
    },
    async abort() {
      out.destroy();
    },
  };
}

/**
 * Parquet: the rows (every column, null where a user has no value) go to a temporary NDJSON file beside the download,
 * owner-only; once whole, the snapshot builder's process (DuckDB) writes them as Parquet where the download is
 * reserved, and the temporary file goes.
 */
function parquetWriter(spec: WriterSpec): RowWriter {
  const rowsFile = partName(`${spec.path}.rows`);
  const out = (spec.open ?? ((p) => createWriteStream(p, { mode: 0o600, highWaterMark: 1 << 20 })))(rowsFile);
  const lines = ndjsonWriter(spec, out, true);
  return {
    write: (user) => lines.write(user),
    async finish() {
      try {
        const { rows } = await lines.finish();
        const written = await snapshotBuilder()({
          kind: 'parquet',
          usersFile: rowsFile,
          path: spec.path,
          columns: columnsOf(spec.fields),
        });
        if (written.rows !== rows) throw new Error(`the Parquet file holds ${written.rows} rows of ${rows}`);
        return { rows, notes: [] };
      } finally {
        rmSync(rowsFile, { force: true });
      }
    },
    async abort() {
      await lines.abort();
      rmSync(rowsFile, { force: true });
    },
  };
}
