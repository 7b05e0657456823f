// A users file exported elsewhere, read as a snapshot: Auth0's NDJSON export (flat `identities[0].x` columns or
// nested), its CSV export, or a JSON array — gzipped or not, told apart by their first bytes. CSV cells come back
// typed (booleans, counts, whole metadata objects) and un-neutralised (a leading apostrophe added against formulas
// is dropped). A file that can't be read is refused with where and why; nothing is kept of it.
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable, type Readable as ReadableType } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import { fromExportLine, setPath } from './export-lines.js';
import { OfflineError } from './offline-error.js';
import type { Sink } from './sink.js';

const JSON_ARRAY_MAX = 512 * 1024 * 1024;
const BATCH = 500;
const BOOLEAN_FIELDS = /^(email_verified|phone_verified|blocked|identities\[\d\]\.isSocial)$/;
const NUMBER_FIELDS = /^(logins_count)$/;

async function head(path: string, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: bytes - 1 }) as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    got += chunk.length;
  }
  return Buffer.concat(chunks, got);
}

function gzipError(err: unknown): OfflineError {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e?.message ?? ''))
    return new OfflineError(
      'validation',
      'The file is incomplete: its gzip data ends early (was the download cut off?). Nothing was kept.',
    );
  if (e?.code?.startsWith('Z_') || e?.code === 'ERR_ZLIB')
    return new OfflineError(
      'validation',
      `The file's gzip data is damaged (${e.message}). Nothing was kept.`,
    );
  return err instanceof OfflineError ? err : new OfflineError('validation', (err as Error).message);
}

/** The file's text, gunzipped when it is gzip. */
async function open(path: string): Promise<{ stream: ReadableType; first: string; rawRead: () => number }> {
  const magic = await head(path, 2);
  const gz = magic[0] === 0x1f && magic[1] === 0x8b;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  let rawBytes = 0;
  raw.on('data', (c: string | Buffer) => (rawBytes += c.length));
  const stream = gz ? raw.pipe(createGunzip({ chunkSize: 1 << 18 })) : raw;
  if (gz) raw.on('error', (err) => stream.destroy(err));
  // Peek at the first characters to know the format, then put them back.
  const peek = await new Promise<Buffer>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      stream.pause();
      stream.off('error', reject);
      stream.off('end', onEnd);
      resolve(chunk);
    };
    const onEnd = () => resolve(Buffer.alloc(0));
    stream.once('data', onData);
    stream.once('end', onEnd);
    stream.once('error', reject);
  }).catch((err) => {
    throw gzipError(err);
  });
  const text = peek.toString('utf8', 0, Math.min(peek.length, 4096)).replace(/^\uFEFF/, '');
  async function* replay() {
    yield peek;
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  }
  return {
    stream: Readable.from(replay(), { objectMode: false }),
    first: text.trimStart(),
    rawRead: () => rawBytes,
  };
}

/** A CSV cell as its value: typed where the field has a type, JSON for whole metadata, without an added apostrophe. */
function csvValue(field: string, cell: string): unknown {
  const text = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell) ? cell.slice(1) : cell;
  if (text === '') return undefined;
  if (BOOLEAN_FIELDS.test(field)) return text === 'true' ? true : text === 'false' ? false : text;
  if (NUMBER_FIELDS.test(field) && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if ((field === 'app_metadata' || field === 'user_metadata') && /^[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export async function importFile(
  path: string,
  sink: Sink,
  progress: (read: number, bytesRead: number, bytes: number) => void,
  signal: { aborted: boolean },
): Promise<void> {
  const bytes = statSync(path).size;
  if (bytes === 0) throw new OfflineError('validation', 'The file is empty.');
  const { stream, first, rawRead } = await open(path);
  const tick = () => progress(sink.count, rawRead(), bytes);
  try {
    if (first.startsWith('{')) await ndjson(stream, sink, tick, signal);
    else if (first.startsWith('[')) await jsonArray(stream, sink);
    else await csv(stream, sink, tick, signal);
  } catch (err) {
    throw gzipError(err);
  }
  if (sink.count === 0) throw new OfflineError('validation', 'The file holds no users.');
}

async function ndjson(stream: ReadableType, sink: Sink, tick: () => void, signal: { aborted: boolean }) {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let batch: string[] = [];
  for await (const line of lines) {
    batch.push(line);
    if (batch.length >= BATCH) {
      if (signal.aborted) throw new OfflineError('validation', 'Cancelled.');
      await sink.write(batch);
      batch = [];
      tick();
    }
  }
  await sink.write(batch);
}

async function jsonArray(stream: ReadableType, sink: Sink) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > JSON_ARRAY_MAX)
      throw new OfflineError(
        'validation',
        'A JSON array this big cannot be read at once: use NDJSON (one user per line).',
      );
    chunks.push(chunk);
  }
  let users: unknown;
  try {
    users = JSON.parse(
      Buffer.concat(chunks)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    );
  } catch (err) {
    throw new OfflineError('validation', `The file is not valid JSON (${(err as Error).message}).`);
  }
  if (!Array.isArray(users)) throw new OfflineError('validation', 'The file is not a JSON array of users.');
  for (let i = 0; i < users.length; i += BATCH)
    await sink.write(users.slice(i, i + BATCH).map((u) => JSON.stringify(u)));
}

async function csv(stream: ReadableType, sink: Sink, tick: () => void, signal: { aborted: boolean }) {
  let header: string[] | null = null;
  const parser = stream.pipe(
    parseCsv({
      bom: true,
      relax_column_count: false,
      skip_empty_lines: true,
      columns: (h: string[]) => {
        header = h.map((c) => c.trim());
        const lower = header.map((c) => c.toLowerCase());
        const id = lower.indexOf('user_id') >= 0 ? lower.indexOf('user_id') : lower.indexOf('id');
        if (id < 0)
          throw new OfflineError(
            'validation',
            `The file is neither JSON nor a CSV with a user_id column (its first line: "${h.join(',').slice(0, 120)}").`,
          );
        header[id] = 'user_id';
        return header;
      },
    }),
  );
  stream.on('error', (err) => parser.destroy(err));
  let batch: Record<string, unknown>[] = [];
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      const flat: Record<string, unknown> = {};
      for (const [field, cell] of Object.entries(record)) {
        const v = csvValue(field, cell);
        if (v === undefined) continue;
        if (/^(app|user)_metadata\./.test(field)) setPath(flat, field, v);
        else flat[field] = v;
      }
      batch.push(fromExportLine(flat) as Record<string, unknown>);
      if (batch.length >= BATCH) {
        if (signal.aborted) throw new OfflineError('validation', 'Cancelled.');
        await sink.writeUsers(batch);
        batch = [];
        tick();
      }
    }
  } catch (err) {
    if (err instanceof OfflineError) throw err;
    const e = err as { code?: string; message: string };
    if (e.code?.startsWith('CSV_'))
      throw new OfflineError('validation', `The CSV cannot be read: ${e.message}`);
    throw err;
  }
  await sink.writeUsers(batch);
}
