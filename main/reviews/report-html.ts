// A report as one printable HTML page: self-contained (its style inline, no script, no image, nothing fetched — a
// Content-Security-Policy says so to the browser too), every value escaped, light or dark as the reader's system is,
// black on white on paper (a print stylesheet: each section on a new page, table headers repeated). Each table shows
// its first rows and says how many more there are, so a report of a million users still prints; the XLSX has them all.
import type { Writable } from 'node:stream';
import { REVIEW_HTML_ROWS, REVIEW_HTML_SECTION_ROWS } from '../../preload/contract.js';
import { ReportOutput, type ReportCell, type ReportSection, type ReportWriter } from './report-writer.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const text = (v: ReportCell) => (v === null ? '' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));
/** An ISO time to the minute, as a reader scans it (the sheet keeps it whole). */
const minute = (v: string) =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) ? `${v.slice(0, 10)} ${v.slice(11, 16)}` : v;
const count = (n: number) => n.toLocaleString('en');

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa;
  --note-bg: #fff8c5; --note-fg: #3b2300; --note-line: #9a6700; --link: #0550ae; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --head: #151b23;
    --note-bg: #2e2200; --note-fg: #f2cc60; --note-line: #d29922; --link: #6cb6ff; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 2rem; color: var(--fg); background: var(--bg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1600px; margin: 0 auto; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; padding-top: .5rem; border-top: 2px solid var(--line); }
p { margin: .4rem 0; }
a { color: var(--link); }
.lede { color: var(--muted); margin-bottom: 1rem; }
nav ol { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; padding: 0; margin: 0 0 1rem; list-style: none; }
.note { background: var(--note-bg); color: var(--note-fg); border-left: 4px solid var(--note-line);
  padding: .5rem .75rem; margin: .5rem 0; }
.more, .empty { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 1.25rem; }
caption, p.caption { text-align: left; font-weight: 600; font-size: 1.05rem; padding: .5rem 0 .25rem; margin: 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--head); }
table.facts { width: auto; min-width: 50%; }
table.facts th { background: var(--head); font-weight: 600; width: 20rem; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em;
  overflow-wrap: break-word; }
.time { white-space: nowrap; }
.intro { color: var(--muted); }
@media print {
  :root { color-scheme: light; --fg: #000; --bg: #fff; --muted: #333; --line: #888; --head: #eee;
    --note-bg: #fff; --note-fg: #000; --note-line: #000; --link: #000; }
  body { padding: 0; font-size: 9pt; }
  nav { display: none; }
  section + section h2 { break-before: page; }
  h2 { border-top: none; }
  thead { display: table-header-group; }
  tr, .note { break-inside: avoid; }
  caption { break-after: avoid; }
  @page { size: A4 landscape; margin: 12mm; }
}`;

export function htmlReport(
  path: string,
  head: { title: string; lede: string; sections: string[] },
  open?: (path: string) => Writable,
): ReportWriter {
  const out = new ReportOutput(path, open);
  let section: ReportSection | null = null;
  let index = 0;
  let inTable = false;
  let shown = 0;
  let hidden = 0;
  /** Rows shown in the section so far (a section of many roles' tables stays printable too). */
  let inSection = 0;
  let emptyText = '';
  let started = false;
  /** The section's own table, opened with it: said nothing of if it stays empty (the section's tables follow). */
  let implicit = false;
  /** The caption of the table being written (said above its "more" line when none of its rows fit). */
  let caption: string | null = null;

  const anchor = (i: number) => `section-${i + 1}`;
  const visible = () =>
    section!.columns.map((c, i) => ({ ...c, i })).filter((c) => c.i !== section!.tableColumn);

  const start = async () => {
    if (started) return;
    started = true;
    await out.write(
      `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n` +
        `<meta name="referrer" content="no-referrer">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
        `<title>${escapeHtml(head.title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n<main>\n` +
        `<h1>${escapeHtml(head.title)}</h1>\n<p class="lede">${escapeHtml(head.lede)} Times are UTC.</p>\n` +
        `<nav aria-label="Sections"><ol>${head.sections
          .map((s, i) => `<li><a href="#${anchor(i)}">${escapeHtml(s)}</a></li>`)
          .join('')}</ol></nav>\n`,
    );
  };

  const endTable = async () => {
    if (!inTable) return;
    inTable = false;
    if (shown > 0) await out.write('</tbody>\n</table>\n');
    else if (hidden > 0 && caption) await out.write(`<p class="caption">${escapeHtml(caption)}</p>\n`);
    else if (!implicit) await out.write(`<p class="empty">${escapeHtml(emptyText)}</p>\n`);
    if (hidden > 0)
      await out.write(
        `<p class="more">${count(hidden)} more not shown here (this page lists at most ${count(REVIEW_HTML_ROWS)} rows of each table and ${count(REVIEW_HTML_SECTION_ROWS)} of each section) — the XLSX report has every row.</p>\n`,
      );
  };

  const endSection = async () => {
    await endTable();
    if (section) await out.write('</section>\n');
  };

  const openTable = async (title: string | null, empty: string) => {
    await endTable();
    caption = title;
    implicit = title === null;
    inTable = true;
    shown = 0;
    hidden = 0;
    emptyText = empty;
    const s = section!;
    const headRow = s.facts
      ? ''
      : `<thead><tr>${visible()
          .map((c) => `<th scope="col">${escapeHtml(c.header)}</th>`)
          .join('')}</tr></thead>\n`;
    // The table's opening is written with its first row (an empty table is a sentence instead).
    pendingOpen =
      `<table${s.facts ? ' class="facts"' : ''}>${caption ? `<caption>${escapeHtml(caption)}</caption>` : ''}\n` +
      `${headRow}<tbody>\n`;
  };
  let pendingOpen = '';

  return {
    async section(s) {
      await start();
      await endSection();
      section = s;
      inSection = 0;
      await out.write(
        `<section id="${anchor(index++)}" aria-labelledby="${anchor(index - 1)}-title">\n` +
          `<h2 id="${anchor(index - 1)}-title">${escapeHtml(s.title)}</h2>\n` +
          (s.warnings ?? []).map((w) => `<p class="note" role="note">${escapeHtml(w)}</p>\n`).join('') +
          s.notes.map((n) => `<p class="intro">${escapeHtml(n)}</p>\n`).join(''),
      );
      // Rows may come without a table of their own: the section's one table, uncaptioned.
      await openTable(null, '');
    },
    async table(caption, empty) {
      await openTable(caption, empty);
    },
    async row(cells) {
      if (shown >= REVIEW_HTML_ROWS || inSection >= REVIEW_HTML_SECTION_ROWS) {
        hidden++;
        return;
      }
      if (shown === 0) await out.write(pendingOpen);
      shown++;
      inSection++;
      const s = section!;
      const tds = visible()
        .map((c, k) =>
          s.facts && k === 0
            ? `<th scope="row">${escapeHtml(text(cells[c.i] ?? null))}</th>`
            : c.time && typeof cells[c.i] === 'string'
              ? `<td class="mono time" title="${escapeHtml(cells[c.i] as string)}">${escapeHtml(minute(cells[c.i] as string))}</td>`
              : `<td${c.mono ? ' class="mono"' : ''}>${escapeHtml(text(cells[c.i] ?? null))}</td>`,
        )
        .join('');
      await out.write(`<tr>${tds}</tr>\n`);
    },
    async finish() {
      await start();
      await endSection();
      await out.write('</main>\n</body>\n</html>\n');
      await out.end();
    },
    async abort() {
      out.stream.destroy();
    },
  };
}
