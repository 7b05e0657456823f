// A report as an XLSX workbook: one sheet per section (a section past Excel's row limit goes on in another sheet),
// written by exceljs's streaming writer, each sheet committed before the next begins. A text cell a spreadsheet would
// run as a formula gets a leading apostrophe, as every export's cells do (neutralize, file-writers.ts).
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { cellText, neutralize, XLSX_CELL_MAX, XLSX_ROWS_MAX } from '../offline/file-writers.js';
import { ReportOutput, type ReportCell, type ReportSection, type ReportWriter } from './report-writer.js';

/** A value as a cell: numbers and booleans typed, text neutralised and kept within Excel's cell limit. */
export function reportCell(v: ReportCell): ReportCell {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  const text = neutralize(cellText(v));
  return text.length > XLSX_CELL_MAX ? `${text.slice(0, XLSX_CELL_MAX - 12)} [cut short]` : text;
}

/** Excel's sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (title: string, part: number) =>
  `${title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 26)}${part > 1 ? ` (${part})` : ''}`;

export function xlsxReport(path: string, open?: (path: string) => Writable): ReportWriter {
  const out = new ReportOutput(path, open);
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out.stream,
    useStyles: false,
    useSharedStrings: false,
  });
  let sheet: ExcelJS.Worksheet | null = null;
  let current: ReportSection | null = null;
  let part = 0;
  let rows = 0;

  const newSheet = () => {
    sheet?.commit();
    part++;
    const s = current!;
    const lines = part === 1 ? [...(s.warnings ?? []).map((w) => `Warning: ${w}`), ...s.notes] : [];
    const headerRow = lines.length ? lines.length + 2 : 1;
    sheet = book.addWorksheet(sheetName(s.title, part), {
      views: [{ state: 'frozen', ySplit: headerRow }],
    });
    sheet.columns = s.columns.map((c) => ({ width: c.width ?? Math.max(12, c.header.length + 2) }));
    // Warnings and notes first (on the section's first sheet), then the header the rows go under.
    if (lines.length) {
      for (const line of lines) sheet.addRow([reportCell(line)]).commit();
      sheet.addRow([]).commit();
    }
    sheet.addRow(s.columns.map((c) => reportCell(c.header))).commit();
    rows = headerRow;
  };

  return {
    async section(s) {
      current = s;
      part = 0;
      newSheet();
      await out.drained();
    },
    async table() {
      // Every row of a sheet names its table (tableColumn): nothing to add.
    },
    async row(cells) {
      if (rows >= XLSX_ROWS_MAX) newSheet();
      sheet!.addRow(cells.map(reportCell)).commit();
      rows++;
      await out.drained();
    },
    async finish() {
      (sheet as ExcelJS.Worksheet | null)?.commit();
      await book.commit();
      await out.end();
    },
    async abort() {
      out.stream.destroy();
    },
  };
}
