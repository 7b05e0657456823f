// Auth0's own CSV, streamed into the user's file as it downloads (the fast path: no parsing, no re-writing), with one
// guarantee added on the way: a cell that a spreadsheet would run as a formula — one starting with = + - @, a tab or
// a CR, or their full-width forms — gets a leading apostrophe, exactly as csv-stringify's escape_formulas would
// write it. The bytes are scanned once, keeping track of quotes across chunk boundaries; every other byte passes
// through untouched. An optional byte-order mark goes first, for Excel.
import { Transform, type TransformCallback } from 'node:stream';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const APOSTROPHE = Buffer.from("'");
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** = + - @ and a tab start a formula in any cell; so does a CR, unless it is the CR of a CR LF record end. */
const ASCII_DANGER = new Uint8Array(256);
for (const b of [0x3d, 0x2b, 0x2d, 0x40, 0x09]) ASCII_DANGER[b] = 1;
/** U+FF1D U+FF0B U+FF0D U+FF20 in UTF-8: EF BC 9D / 8B / 8D / A0. */
const WIDE_THIRD = new Uint8Array(256);
for (const b of [0x9d, 0x8b, 0x8d, 0xa0]) WIDE_THIRD[b] = 1;

/** The bytes a dangerous cell can start with: = + - @ tab, CR, and 0xEF (the first byte of a full-width sign). */
const STARTERS = [0x3d, 0x2b, 0x2d, 0x40, 0x09, CR, 0xef];

type State = 'cellStart' | 'unquoted' | 'quotedStart' | 'quoted' | 'quoteInQuoted';

export class CsvFormulaGuard extends Transform {
  private state: State = 'cellStart';
  /** Bytes held back because a full-width character might be split across chunks. */
  private carry: Buffer = Buffer.alloc(0);
  private bomPending: boolean;
  /** Cells neutralised so far. */
  neutralised = 0;
  /** Records ended so far (the header among them), and whether the current one has begun. */
  private records = 0;
  private inRecord = false;

  /** Data rows so far (records after the header). */
  get rows(): number {
    return Math.max(0, this.records + (this.inRecord ? 1 : 0) - 1);
  }

  constructor(options: { bom?: boolean } = {}) {
    super({ highWaterMark: 1 << 20 });
    this.bomPending = options.bom === true;
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, done: TransformCallback): void {
    // Scanned on the next turn of the event loop, not inside the write: the write comes from gunzip handing over a
    // piece, and returning at once lets it start inflating the next piece on the thread pool while this one is
    // scanned here — decompression and the scan overlap instead of taking turns.
    setImmediate(() => this.transformNow(chunk, encoding, done));
  }

  private transformNow(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.bomPending) {
      this.bomPending = false;
      // Auth0's file may carry a BOM already; one is enough.
      const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
      if (data.length < 3) {
        this.carry = data;
        this.bomPending = true;
        return done();
      }
      this.carry = Buffer.alloc(0);
      this.push(BOM);
      chunk = data.subarray(0, 3).equals(BOM) ? data.subarray(3) : data;
    }
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    if ((this.state === 'cellStart' || this.state === 'unquoted') && data.indexOf(QUOTE) < 0)
      this.plain(data, done);
    else this.scan(data, false, done);
  }

  /** A chunk without a single quote, begun outside any quoted cell: see DANGER_AFTER_SEPARATOR. */
  private plain(data: Buffer, done: TransformCallback): void {
    // The bytes after the last separator may be the start of a cell cut short (a CR or a full-width sign split
    // across chunks): up to three of them wait for the next chunk, which then begins at a cell's start.
    const last = Math.max(data.lastIndexOf(COMMA), data.lastIndexOf(LF));
    let end = data.length;
    let endState: State = last < 0 ? (this.state === 'cellStart' ? 'unquoted' : this.state) : 'unquoted';
    if (last >= 0 && data.length - last - 1 < 3) {
      end = last + 1;
      endState = 'cellStart';
    } else if (last < 0 && this.state === 'cellStart' && data.length < 3) {
      // Too short to tell: the careful path holds it back as it would.
      this.scan(data, false, done);
      return;
    }
    // The cells that need an apostrophe are those right after a comma or a line feed (or at the chunk's start, if a
    // cell starts there) beginning with a sign, a tab, a lone CR or a full-width sign. Each byte that can begin one
    // is found natively (memchr) and the byte before it looked at — instead of visiting every cell, or making a
    // string of the chunk for a regular expression (which cost more than the search itself).
    let found: number[] | null = null;
    for (const starter of STARTERS)
      for (let i = data.indexOf(starter); i >= 0 && i < end; i = data.indexOf(starter, i + 1)) {
        const before = i === 0 ? (this.state === 'cellStart' ? LF : -1) : data[i - 1];
        if (before !== COMMA && before !== LF) continue;
        // A CR LF ends a record; a full-width sign is EF BC and one of four bytes. Both are whole here: the bytes
        // after a cell's first one are in this chunk (the last cell's start, if short, waits for the next, above).
        if (starter === CR && data[i + 1] === LF) continue;
        if (starter === 0xef && !(data[i + 1] === 0xbc && WIDE_THIRD[data[i + 2]!] === 1)) continue;
        (found ??= []).push(i);
      }
    let from = 0;
    if (found) {
      found.sort((a, b) => a - b);
      for (const cell of found) {
        if (cell > from) this.push(data.subarray(from, cell));
        this.push(APOSTROPHE);
        this.neutralised++;
        from = cell;
      }
    }
    // Records: every line feed ends one; a record has begun once any byte follows the last line feed.
    let lastLf = -1;
    for (let i = data.indexOf(LF); i >= 0 && i < end; i = data.indexOf(LF, i + 1)) {
      this.records++;
      lastLf = i;
    }
    if (end > lastLf + 1) this.inRecord = true;
    else if (lastLf >= 0) this.inRecord = false;
    if (from < end) this.push(data.subarray(from, end));
    if (end < data.length) this.carry = Buffer.from(data.subarray(end));
    this.state = endState;
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.bomPending) {
      this.push(BOM);
      this.bomPending = false;
      if (this.carry.length >= 3 && this.carry.subarray(0, 3).equals(BOM))
        this.carry = this.carry.subarray(3);
    }
    const data = this.carry;
    this.carry = Buffer.alloc(0);
    this.scan(data, true, done);
  }

  private scan(data: Buffer, final: boolean, done: TransformCallback): void {
    let from = 0;
    const n = data.length;
    // The next comma, line feed and quote at or after the position they were looked up from (native memchr): the
    // bytes inside a cell are skipped, not visited one by one.
    let nextComma = -1;
    let nextLf = -1;
    let nextQuote = -1;
    const find = (byte: number, at: number) => {
      const j = data.indexOf(byte, at);
      return j < 0 ? n : j;
    };
    let i = 0;
    while (i < n) {
      const b = data[i]!;
      switch (this.state) {
        case 'cellStart':
        case 'quotedStart': {
          if (this.state === 'cellStart' && b === QUOTE) {
            this.state = 'quotedStart';
            i++;
            continue;
          }
          const quoted = this.state === 'quotedStart';
          let danger = ASCII_DANGER[b] === 1 || (quoted && b === CR);
          if (b === CR && !quoted) {
            // CR LF ends the record; a CR not followed by LF is the cell's first character.
            if (i + 1 >= n && !final) return this.hold(data, from, i, done);
            danger = data[i + 1] !== LF;
          }
          if (b === 0xef) {
            // A full-width sign is three bytes; if they straddle the chunk's end, wait for the rest.
            if (i + 2 >= n && !final) return this.hold(data, from, i, done);
            danger = data[i + 1] === 0xbc && WIDE_THIRD[data[i + 2]!] === 1;
          }
          if (danger) {
            this.push(data.subarray(from, i));
            this.push(APOSTROPHE);
            from = i;
            this.neutralised++;
          }
          // The same byte is looked at again in its cell's state.
          this.state = quoted ? 'quoted' : 'unquoted';
          continue;
        }
        case 'unquoted': {
          if (nextComma < i) nextComma = find(COMMA, i);
          if (nextLf < i) nextLf = find(LF, i);
          const end = Math.min(nextComma, nextLf);
          this.inRecord = true;
          if (end >= n) {
            i = n;
            continue;
          }
          if (end === nextLf) {
            this.records++;
            this.inRecord = false;
          }
          this.state = 'cellStart';
          i = end + 1;
          continue;
        }
        case 'quoted': {
          this.inRecord = true;
          if (nextQuote < i) nextQuote = find(QUOTE, i);
          if (nextQuote >= n) {
            i = n;
            continue;
          }
          this.state = 'quoteInQuoted';
          i = nextQuote + 1;
          continue;
        }
        case 'quoteInQuoted':
          // "" is a quote inside the cell; anything else closes it.
          if (b === QUOTE) this.state = 'quoted';
          else if (b === COMMA || b === LF) {
            this.state = 'cellStart';
            if (b === LF) {
              this.records++;
              this.inRecord = false;
            }
          } else this.state = 'unquoted';
          i++;
          continue;
      }
    }
    if (from < n) this.push(data.subarray(from));
    done();
  }

  /** Passes on what is certain and keeps the rest for the next chunk. */
  private hold(data: Buffer, from: number, at: number, done: TransformCallback): void {
    this.push(data.subarray(from, at));
    this.carry = Buffer.from(data.subarray(at));
    done();
  }
}
