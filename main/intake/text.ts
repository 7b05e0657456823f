// Every file Tenant Desk reads from a user (a users file opened as a snapshot, a users file to import, a list of user
// ids or emails) comes in through here, streamed and bounded: gunzipped when it is gzip, with a cap on the text it
// unpacks to; UTF-8 (a byte-order mark is dropped) checked as it goes, an invalid byte reported with its line instead
// of turned into U+FFFD; UTF-16 (Excel's "Unicode text", PowerShell's default) converted to UTF-8; anything else
// refused in words. Lines and records are cut with a cap on their length, so no file — a single 200 MB line, a gzip
// bomb — can make the reader hold more than one record's worth of it.
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';
import { ID_LIST_MAX_BYTES } from '../../preload/contract.js';
import { AppError } from '../errors.js';

export interface IntakeLimits {
  /** Bytes of text the file may unpack to (after gunzip and any conversion to UTF-8). */
  maxBytes: number;
  /** Bytes of one record: a line of NDJSON or a list, a CSV record, an element of a JSON array. */
  maxRecordBytes: number;
  /** Nesting of objects and arrays in one JSON record. */
  maxDepth: number;
  /** Fields of one record: keys at every level of a JSON record; columns of a CSV. */
  maxFields: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * A users file opened as a snapshot: as big as a tenant (a 10,000,000-user export is about 6 GB of NDJSON); one user
 * up to Auth0's own 16 MB of metadata; metadata nested at most 100 levels (as Tenant Desk and the local tenant take
 * it), inside the user and its metadata object.
 */
export const SNAPSHOT_FILE_LIMITS: IntakeLimits = {
  maxBytes: 16 * GiB,
  maxRecordBytes: 16 * MiB,
  maxDepth: 128,
  maxFields: 10_000,
};
/** A users file to import: Auth0 takes 500 KB per job file, so no user can be larger than that. */
export const IMPORT_FILE_LIMITS: IntakeLimits = {
  maxBytes: 100 * MiB,
  maxRecordBytes: 1 * MiB,
  maxDepth: 128,
  maxFields: 10_000,
};
/** A list of user ids or emails (one or a few per line, or a CSV with a user_id / email column). */
export const ID_LIST_LIMITS: IntakeLimits = {
  maxBytes: ID_LIST_MAX_BYTES,
  maxRecordBytes: 64 * 1024,
  maxDepth: 1,
  maxFields: 1_000,
};

/** A file refused: what is wrong, with the limit and the line where it applies. Nothing of it is kept. */
export class IntakeError extends AppError {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super('validation', message);
  }
}

export const sizeInWords = (bytes: number): string =>
  bytes >= GiB
    ? `${+(bytes / GiB).toFixed(1)} GB`
    : bytes >= MiB
      ? `${+(bytes / MiB).toFixed(1)} MB`
      : bytes >= 1024
        ? `${+(bytes / 1024).toFixed(1)} KB`
        : `${bytes} bytes`;

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** What a file turned out to be. */
export interface TextInfo {
  gzip: boolean;
  encoding: TextEncoding;
  /** Bytes of the file read so far (compressed, for a gzip file): progress. */
  bytesRead(): number;
  /** Bytes of UTF-8 text handed on so far. */
  textBytes(): number;
}

/** The encoding the first bytes of a text say, and how many bytes of byte-order mark to drop; null: not text. */
function sniff(head: Buffer): { encoding: TextEncoding; bom: number } | { refused: string } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe && head[2] === 0 && head[3] === 0)
    return {
      refused:
        'The file is UTF-32 text, which Tenant Desk does not read: save it as UTF-8 and open it again.',
    };
  if (head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff)
    return {
      refused:
        'The file is UTF-32 text, which Tenant Desk does not read: save it as UTF-8 and open it again.',
    };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  // UTF-16 without a byte-order mark: ASCII text in it has a zero in every other byte.
  const n = Math.min(head.length & ~1, 512);
  if (n >= 4) {
    let evenZeros = 0;
    let oddZeros = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenZeros++;
      if (head[i + 1] === 0) oddZeros++;
    }
    const pairs = n / 2;
    if (oddZeros > pairs * 0.6 && evenZeros === 0) return { encoding: 'utf-16le', bom: 0 };
    if (evenZeros > pairs * 0.6 && oddZeros === 0) return { encoding: 'utf-16be', bom: 0 };
  }
  if (head.subarray(0, 4096).includes(0))
    return {
      refused:
        'This is not a text file (it holds zero bytes): Tenant Desk reads JSON, NDJSON, CSV or text lists.',
    };
  return { encoding: 'utf-8', bom: 0 };
}

/** Where the first invalid UTF-8 sequence of `buf` starts (buf is known to hold one). */
function firstInvalid(buf: Buffer): number {
  for (let i = 0; i < buf.length;) {
    const b = buf[i]!;
    const len =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > buf.length || !isUtf8(buf.subarray(i, i + len))) return i;
    i += len;
  }
  return buf.length;
}

/** How many bytes at the end of `buf` start a sequence that continues in the next chunk. */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= 3 && back <= buf.length; back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Lines (newline code units) of UTF-16 text before its first unpaired surrogate. */
function utf16LinesBeforeInvalid(buf: Buffer, littleEndian: boolean): number {
  let lines = 0;
  for (let i = 0; i + 1 < buf.length; i += 2) {
    const unit = littleEndian ? buf.readUInt16LE(i) : buf.readUInt16BE(i);
    if (unit === 10) lines++;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      const next =
        i + 3 < buf.length ? (littleEndian ? buf.readUInt16LE(i + 2) : buf.readUInt16BE(i + 2)) : -1;
      if (next >= 0xdc00 && next <= 0xdfff) i += 2;
      else if (next !== -1) return lines;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return lines;
  }
  return lines;
}

const countLines = (buf: Buffer): number => {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
};

/**
 * The file's text as chunks of valid UTF-8, whatever it was stored as. Throws an IntakeError (with the line) for
 * text that is not valid in its encoding, a file that unpacks past `limits.maxBytes`, or a file that is not text.
 */
export async function openText(
  path: string,
  limits: Pick<IntakeLimits, 'maxBytes'>,
): Promise<{ info: TextInfo; chunks: AsyncGenerator<Buffer> }> {
  const head = await new Promise<Buffer>((resolve, reject) => {
    const parts: Buffer[] = [];
    createReadStream(path, { start: 0, end: 1 })
      .on('data', (c) => parts.push(c as Buffer))
      .on('end', () => resolve(Buffer.concat(parts)))
      .on('error', reject);
  });
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  // Read as it is consumed: no 'data' listener (one would make the stream flow, and read the whole file ahead).
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  let source: Readable = raw;
  if (gzip) {
    source = raw.pipe(createGunzip({ chunkSize: 1 << 18 }));
    raw.on('error', (err) => source.destroy(err));
  }
  let out = 0;
  let unpacked = 0;
  const info: TextInfo = {
    gzip,
    encoding: 'utf-8',
    bytesRead: () => raw.bytesRead,
    textBytes: () => out,
  };
  const tooBig = () =>
    new IntakeError(
      `${gzip ? 'Unzipped, the file is' : 'The file is'} over ${sizeInWords(limits.maxBytes)}, the most Tenant Desk reads of this kind of file. Split it into smaller files.`,
    );

  async function* chunks(): AsyncGenerator<Buffer> {
    let line = 1;
    let carry: Buffer = Buffer.alloc(0);
    let decoder: TextDecoder | null = null;
    let first = true;
    try {
      for await (const piece of source as AsyncIterable<Buffer>) {
        unpacked += piece.length;
        if (unpacked > limits.maxBytes) throw tooBig();
        let buf: Buffer = carry.length ? Buffer.concat([carry, piece]) : piece;
        carry = Buffer.alloc(0);
        if (first) {
          if (buf.length < 4 && unpacked < 4) {
            carry = buf; // too little to tell yet
            continue;
          }
          first = false;
          const s = sniff(buf);
          if ('refused' in s) throw new IntakeError(s.refused, 1);
          info.encoding = s.encoding;
          if (s.encoding !== 'utf-8') decoder = new TextDecoder(s.encoding, { fatal: true });
          buf = buf.subarray(s.bom);
        }
        if (decoder) {
          let text: string;
          try {
            text = decoder.decode(buf, { stream: true });
          } catch {
            const at = line + utf16LinesBeforeInvalid(buf, info.encoding === 'utf-16le');
            throw new IntakeError(
              `Line ${at} is not valid ${info.encoding.toUpperCase()} text (a broken character). Save the file as UTF-8 and open it again.`,
              at,
            );
          }
          buf = Buffer.from(text, 'utf8');
        } else {
          const tail = incompleteTail(buf);
          if (tail) {
            carry = Buffer.from(buf.subarray(buf.length - tail));
            buf = buf.subarray(0, buf.length - tail);
          }
          if (!isUtf8(buf)) {
            const at = firstInvalid(buf);
            const lineOf = line + countLines(buf.subarray(0, at));
            const lineStart = buf.lastIndexOf(10, at - 1) + 1;
            throw new IntakeError(
              `Line ${lineOf} is not valid UTF-8 (byte ${at - lineStart + 1} of the line): the file may be saved in another encoding, such as Windows-1252. Save it as UTF-8 and open it again.`,
              lineOf,
            );
          }
        }
        if (buf.length === 0) continue;
        line += countLines(buf);
        out += buf.length;
        yield buf;
      }
      if (first && carry.length) {
        // A file of fewer than four bytes.
        const s = sniff(carry);
        if ('refused' in s) throw new IntakeError(s.refused, 1);
        if (s.encoding !== 'utf-8' || !isUtf8(carry.subarray(s.bom)))
          throw new IntakeError('Line 1 is not valid UTF-8. Save the file as UTF-8 and open it again.', 1);
        carry = carry.subarray(s.bom);
        out += carry.length;
        if (carry.length) yield carry;
        carry = Buffer.alloc(0);
      }
      if (decoder) {
        let rest: string;
        try {
          rest = decoder.decode();
        } catch {
          throw new IntakeError(
            `Line ${line} ends in the middle of a character. The file may be cut short.`,
            line,
          );
        }
        if (rest) yield Buffer.from(rest, 'utf8');
      } else if (carry.length)
        throw new IntakeError(
          `Line ${line} is not valid UTF-8 (it ends in the middle of a character): the file may be cut short, or saved in another encoding, such as Windows-1252. Save it as UTF-8 and open it again.`,
          line,
        );
    } catch (err) {
      throw gzipError(err);
    } finally {
      raw.destroy();
      if (source !== raw) source.destroy();
    }
  }
  return { info, chunks: chunks() };
}

function gzipError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e?.message ?? ''))
    return new IntakeError(
      'The file is incomplete: its gzip data ends early (was the download cut off?). Nothing was kept.',
    );
  if (e?.code?.startsWith('Z_') || e?.code === 'ERR_ZLIB')
    return new IntakeError(`The file's gzip data is damaged (${e.message}). Nothing was kept.`);
  return err;
}

/** One line of text, with its number (1-based). */
export interface TextLine {
  text: string;
  line: number;
}

/**
 * Lines cut from UTF-8 chunks as they come (CR LF or LF), each at most `maxRecordBytes`: a longer one is refused as
 * soon as it passes the limit, before more of it is held. `linesOf` pulls chunks through one; the offline worker is
 * pushed an export's chunks (so the window's process never holds them as strings).
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private held = 0;
  private line = 1;

  constructor(
    private readonly maxRecordBytes: number,
    private readonly what = 'Line',
  ) {}

  private tooLong() {
    return new IntakeError(
      `${this.what} ${this.line} is longer than ${sizeInWords(this.maxRecordBytes)}, the most Tenant Desk reads as one record of this file. Is it the file you meant?`,
      this.line,
    );
  }

  private text(tail: Buffer): string {
    const buf = this.parts.length ? Buffer.concat([...this.parts, tail]) : tail;
    this.parts = [];
    this.held = 0;
    const end = buf.length && buf[buf.length - 1] === 13 ? buf.length - 1 : buf.length;
    return buf.toString('utf8', 0, end);
  }

  /** The lines a chunk completes, added to `out`. */
  push(chunk: Buffer, out: TextLine[]): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (this.held + nl - start > this.maxRecordBytes) throw this.tooLong();
      out.push({ text: this.text(chunk.subarray(start, nl)), line: this.line });
      this.line++;
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.held += chunk.length - start;
      if (this.held > this.maxRecordBytes) throw this.tooLong();
      this.parts.push(chunk.subarray(start));
    }
  }

  /** The last line, when the text does not end with a line break. */
  end(out: TextLine[]): void {
    if (this.held > 0) out.push({ text: this.text(Buffer.alloc(0)), line: this.line });
  }
}

/**
 * The lines of UTF-8 chunks (CR LF or LF), each at most `maxRecordBytes`: a longer one is refused as soon as it
 * passes the limit, before more of it is held.
 */
export async function* linesOf(
  chunks: AsyncIterable<Buffer>,
  maxRecordBytes: number,
  what = 'Line',
): AsyncGenerator<TextLine> {
  const splitter = new LineSplitter(maxRecordBytes, what);
  const out: TextLine[] = [];
  for await (const chunk of chunks) {
    splitter.push(chunk, out);
    yield* out.splice(0);
  }
  splitter.end(out);
  yield* out;
}

/** The lines of a stream as text, each at most `maxRecordBytes` (Auth0's export files, read as they download). */
export async function* textLines(
  stream: AsyncIterable<Buffer>,
  maxRecordBytes: number,
): AsyncGenerator<string> {
  for await (const l of linesOf(stream, maxRecordBytes)) yield l.text;
}

/**
 * The bound on memory any file intake holds, whatever the file: one record (at most 16 MB of text, as a string and as
 * parsed objects) plus a batch of users on their way to the snapshot or the import's parts. Measured by the intake
 * tests and `npm run bench:hardening`: the process grows by less than this while refusing a 200 MB line or a gzip bomb.
 */
export const INTAKE_PEAK_RSS_BOUND_MB = 256;

/**
 * The first non-blank character of a text (what tells JSON from CSV), and its chunks again from the start. Only the
 * chunks up to that character are held.
 */
export async function firstCharacter(
  chunks: AsyncGenerator<Buffer>,
): Promise<{ first: string; all: AsyncGenerator<Buffer> }> {
  const seen: Buffer[] = [];
  let first = '';
  for (;;) {
    const next = await chunks.next();
    if (next.done) break;
    seen.push(next.value);
    const text = next.value.toString('latin1');
    const at = text.search(/\S/);
    if (at >= 0) {
      first = text[at]!;
      break;
    }
  }
  async function* all() {
    yield* seen;
    yield* chunks;
  }
  return { first, all: all() };
}
