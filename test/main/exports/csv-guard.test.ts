// Auth0's CSV streamed through the formula guard ends up exactly as csv-stringify with escape_formulas would have
// written it, however the bytes are split into chunks; everything else passes through byte for byte.
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { CsvFormulaGuard } from '../../../main/exports/csv-guard.js';

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const pieces = [
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '"',
  ',',
  "'",
  'a',
  'Zoë',
  '山',
  '😀',
  '\uFF1D',
  '\uFF0B',
  '\uFF0D',
  '\uFF20',
  '\uFF21',
  ' ',
  '1',
];

async function guarded(bytes: Buffer, cuts: number[], bom = false, seen?: { rows: number }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(at, c));
    at = c;
  }
  const guard = new CsvFormulaGuard({ bom });
  const out = await buffer(Readable.from(chunks).pipe(guard));
  if (seen) seen.rows = guard.rows;
  return out;
}

describe('the CSV formula guard', () => {
  // With quotes the guard walks cell by cell; a chunk without one takes the fast path (a search for separators
  // followed by a sign). Both are checked: the full alphabet, and one that never needs quoting.
  const unquoted = pieces.filter((p) => !['"', ',', '\n', '\r\n', '\r'].includes(p));
  it.each([
    ['any cells', pieces],
    ['cells that need no quotes', unquoted],
  ])(
    'matches csv-stringify’s escape_formulas on 300 random files of %s cut at random places',
    async (_, alphabet) => {
      const rand = prng(7);
      for (let f = 0; f < 300; f++) {
        const records = Array.from({ length: 1 + Math.floor(rand() * 8) }, () =>
          Array.from({ length: 1 + Math.floor(rand() * 5) }, () =>
            Array.from(
              { length: Math.floor(rand() * 5) },
              () => alphabet[Math.floor(rand() * alphabet.length)],
            ).join(''),
          ),
        );
        const width = Math.max(...records.map((r) => r.length));
        const rows = records.map((r) => [...r, ...Array(width - r.length).fill('')]);
        // RFC 4180: a cell holding a line break is quoted (csv-stringify leaves a bare LF unquoted in CRLF files).
        const style = {
          record_delimiter: rand() < 0.5 ? 'unix' : 'windows',
          quoted_match: /[\r\n]/,
        } as const;
        let plain = Buffer.from(stringify(rows, style));
        // Sometimes the last record has no line break after it (a record still, counted as a row).
        const eol = style.record_delimiter === 'unix' ? '\n' : '\r\n';
        if (rand() < 0.4 && !plain.toString().endsWith(eol + eol))
          plain = plain.subarray(0, plain.length - eol.length);
        const cuts = Array.from({ length: Math.floor(rand() * 6) }, () =>
          Math.floor(rand() * plain.length),
        ).sort((a, b) => a - b);
        const seen = { rows: -1 };
        const out = await guarded(plain, cuts, false, seen);
        expect(seen.rows, JSON.stringify(rows)).toBe(rows.length - 1);
        const expected = parse(stringify(rows, { ...style, escape_formulas: true }), {
          relax_column_count: true,
        });
        expect(parse(out, { relax_column_count: true }), JSON.stringify(rows)).toEqual(expected);
      }
    },
  );

  it('leaves a file without formulas byte for byte, and adds one BOM', async () => {
    const plain = Buffer.from(
      stringify([
        ['user_id', 'email'],
        ['auth0|1', 'a@example.com'],
        ['auth0|2', 'Zoë "x", y'],
      ]),
    );
    expect((await guarded(plain, [5, 6, 7])).equals(plain)).toBe(true);
    const withBom = await guarded(plain, [1, 2], true);
    expect([...withBom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(withBom.subarray(3).equals(plain)).toBe(true);
    // Auth0's file starting with its own BOM keeps just one.
    const twice = await guarded(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]), [2], true);
    expect(twice.subarray(3).equals(plain)).toBe(true);
  });

  it('neutralises a full-width sign split across chunks', async () => {
    const plain = Buffer.from('a,\uFF1D1+1\n');
    for (let cut = 1; cut < plain.length; cut++) {
      const out = (await guarded(plain, [cut])).toString('utf8');
      expect(out, String(cut)).toBe("a,'\uFF1D1+1\n");
    }
  });
});
