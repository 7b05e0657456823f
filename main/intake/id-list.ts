// A list of user ids or emails for a bulk edit — pasted, or a CSV/TXT file read through the bounded intake: a CSV
// with a user_id / id / email column, or any text with one or more entries per line (spaces, commas or semicolons
// between them). Each line and the whole list are bounded; an encoding problem is refused with its line.
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { ID_LIST_LIMITS, IntakeError, linesOf, openText, sizeInWords, type IntakeLimits } from './text.js';

/** Entries past this are refused: a list is looked up (or matched against one export) entry by entry. */
export const MAX_LIST_ENTRIES = 1_000_000;

const ID_COLUMNS = ['user_id', 'userid', 'id'];

/** The header's id or email column, when the first line is a CSV header naming one. */
function headerColumn(firstLine: string): boolean {
  const header = firstLine
    .toLowerCase()
    .split(/[,;\t]/)
    .map((h) => h.trim().replace(/^"|"$/g, ''));
  return /[,;\t]/.test(firstLine) && [...ID_COLUMNS, 'email'].some((c) => header.includes(c));
}

async function* again(first: Buffer[], rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield* first;
  yield* rest;
}

/** The entries of a list, each once, in their order. */
export async function listEntriesOf(
  chunks: AsyncIterable<Buffer>,
  limits: IntakeLimits = ID_LIST_LIMITS,
): Promise<string[]> {
  const iterator = chunks[Symbol.asyncIterator]();
  // The first line says whether this is a CSV with an id or email column.
  const head: Buffer[] = [];
  let firstLine: string | null = null;
  let headBytes = 0;
  while (firstLine === null) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.length;
    const all = Buffer.concat(head);
    const nl = all.indexOf(10);
    if (nl >= 0) firstLine = all.toString('utf8', 0, nl);
    else if (headBytes > limits.maxRecordBytes)
      throw new IntakeError(
        `Line 1 is longer than ${sizeInWords(limits.maxRecordBytes)}; is this a list of users?`,
        1,
      );
  }
  firstLine ??= Buffer.concat(head).toString('utf8');
  const rest = { [Symbol.asyncIterator]: () => iterator };
  const entries = new Set<string>();
  const add = (entry: string, line: number) => {
    if (!entry) return;
    entries.add(entry);
    if (entries.size > MAX_LIST_ENTRIES)
      throw new IntakeError(
        `The list has more than ${MAX_LIST_ENTRIES.toLocaleString('en')} entries (line ${line}): split it, or choose the users by a query.`,
        line,
      );
  };
  if (headerColumn(firstLine)) {
    const parser = Readable.from(again(head, rest)).pipe(
      parseCsv({
        columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
        delimiter: [',', ';', '\t'],
        skip_empty_lines: true,
        trim: true,
        relax_column_count: true,
        bom: true,
        info: true,
        max_record_size: limits.maxRecordBytes,
      }),
    );
    try {
      for await (const { record, info } of parser as AsyncIterable<{
        record: Record<string, string>;
        info: { lines: number };
      }>) {
        const id = ID_COLUMNS.map((c) => record[c]).find(Boolean);
        add(id || record.email || '', info.lines);
      }
    } catch (err) {
      if (err instanceof IntakeError) throw err;
      throw new IntakeError(
        `The file is not valid CSV: ${(err as Error).message}`,
        (err as { lines?: number }).lines,
      );
    }
  } else {
    let first = true;
    for await (const { text, line } of linesOf(again(head, rest), limits.maxRecordBytes)) {
      const tokens = text
        .replace(/^\uFEFF/, '')
        .split(/[\s,;]+/)
        .map((e) => e.trim().replace(/^"|"$/g, ''));
      // A one-column header ("email", "user_id") is not an entry.
      const header =
        first && tokens.length === 1 && [...ID_COLUMNS, 'email'].includes(tokens[0]!.toLowerCase());
      first = false;
      if (!header) for (const t of tokens) add(t, line);
    }
  }
  if (entries.size === 0) throw new IntakeError('The list has no user ids or emails.');
  return [...entries];
}

/** A pasted list. */
export function listEntries(text: string): Promise<string[]> {
  return listEntriesOf(Readable.from([Buffer.from(text, 'utf8')]));
}

/** A list file (from uploads), read through the intake: UTF-8 or UTF-16, gzipped or not. */
export async function listEntriesOfFile(path: string): Promise<string[]> {
  const { chunks } = await openText(path, ID_LIST_LIMITS);
  return listEntriesOf(chunks);
}
