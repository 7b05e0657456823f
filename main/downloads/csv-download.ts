// A CSV offered as a download: rows streamed through csv-stringify (formulas neutralised) into a reserved file,
// committed whole, or removed if anything fails on the way.
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { DownloadRef } from '../../preload/contract.js';
import type { DownloadStore } from './download-store.js';

export async function csvDownload(
  downloads: DownloadStore,
  filename: string,
  columns: string[],
  rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
  options: { bom?: boolean } = {},
): Promise<DownloadRef> {
  const file = downloads.reserve(filename, 'text/csv; charset=utf-8');
  try {
    const out = createWriteStream(file.path, { mode: 0o600 });
    const csv = stringify({ header: true, columns, escape_formulas: true, bom: options.bom ?? true });
    csv.pipe(out);
    for await (const row of rows)
      if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
    csv.end();
    await finished(out);
    const { id, filename: name, bytes } = await file.commit();
    return { id, filename: name, bytes };
  } catch (err) {
    file.discard();
    throw err;
  }
}
