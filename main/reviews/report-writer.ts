// A report's sections written to a file as they are found: an XLSX workbook (one sheet per section, exceljs's
// streaming writer) or a printable HTML page. The report says what goes in each section; a writer says how it looks.
// Sections come one after another and each row is written at once, so a report of a million users holds none of them.
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

export type ReportCell = string | number | boolean | null;

export interface ReportColumn {
  header: string;
  /** Its width in a spreadsheet, in characters. */
  width?: number;
  /** Identifiers: set in a fixed-width face on the page. */
  mono?: boolean;
  /** An ISO time: the page shows it to the minute (UTC), the sheet whole. */
  time?: boolean;
}

export interface ReportSection {
  /** The sheet's name (at most 31 characters) and the page's heading. */
  title: string;
  /** What the section holds, said before any row. */
  notes: string[];
  /** What the reader must know first (a snapshot taken without roles…): said before the notes, marked. */
  warnings?: string[];
  columns: ReportColumn[];
  /** Rows are facts (a name, a value): the page shows the first cell as the row's heading. */
  facts?: boolean;
  /**
   * The column whose value each table of the section is about (the role of the role holders): the page leaves it
   * out, its table's caption says it; the sheet keeps it, so every row stands alone.
   */
  tableColumn?: number;
}

export interface ReportWriter {
  section(section: ReportSection): Promise<void>;
  /** A table of the section: its caption, and what the page says when it has no row. */
  table(caption: string, empty: string): Promise<void>;
  row(cells: ReportCell[]): Promise<void>;
  /** Ends the file; resolves once every byte is written. */
  finish(): Promise<void>;
  /** Stops writing (the caller removes the file). */
  abort(): Promise<void>;
}

/** A file written through a stream, waiting while the disk catches up and failing as soon as the disk fails. */
export class ReportOutput {
  readonly stream: Writable;
  private failure: Error | null = null;

  constructor(path: string, open?: (path: string) => Writable) {
    this.stream = (open ?? ((p) => createWriteStream(p, { mode: 0o600, highWaterMark: 1 << 20 })))(path);
    this.stream.on('error', (err) => (this.failure ??= err));
  }

  check(): void {
    if (this.failure) throw this.failure;
  }

  async drained(): Promise<void> {
    this.check();
    if (!this.stream.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
    });
    this.check();
  }

  async write(text: string): Promise<void> {
    this.check();
    if (!this.stream.write(text)) await this.drained();
  }

  async end(): Promise<void> {
    this.check();
    if (!this.stream.writableFinished)
      await new Promise<void>((resolve, reject) => {
        this.stream.once('error', reject);
        this.stream.once('finish', () => resolve());
        if (!this.stream.writableEnded) this.stream.end();
      });
    this.check();
  }
}
