// What a command prints. Human words on stdout by default; with --json, one JSON document on stdout and nothing else
// there. Progress goes to stderr, as a bar only when stderr is a terminal (cli-progress), never into a pipe or a log.
import { SingleBar, Presets } from 'cli-progress';
import type { TaskSummary } from '../../preload/contract.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export class Output {
  private bar: SingleBar | null = null;
  private lastLine = '';

  constructor(
    readonly io: Io,
    readonly json: boolean,
  ) {}

  /** A line of words for people (not in --json mode). */
  say(line = ''): void {
    if (!this.json) this.io.stdout.write(`${line}\n`);
  }

  /** The command's one JSON document (in --json mode). */
  document(value: unknown): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A note on stderr (warnings, where a file went): never mixed into the JSON on stdout. */
  note(line: string): void {
    this.endProgress();
    this.io.stderr.write(`${line}\n`);
  }

  /** A task's progress: a bar on a terminal; otherwise a line when its words change (not in --json mode). */
  progress(t: TaskSummary): void {
    const { done, total, unit, words } = t.progress;
    if (this.io.stderr.isTTY) {
      if (!this.bar) {
        this.bar = new SingleBar(
          {
            stream: this.io.stderr,
            format: ' {bar} {value}/{total} {unit} · {words}',
            hideCursor: true,
            clearOnComplete: false,
          },
          Presets.shades_classic,
        );
        this.bar.start(total ?? Math.max(done, 1), done, { unit, words: words ?? '' });
      }
      if (total !== null) this.bar.setTotal(total);
      this.bar.update(done, { unit, words: words ?? t.status });
      return;
    }
    if (this.json) return;
    const line = `${done.toLocaleString('en')}${total !== null ? ` of ${total.toLocaleString('en')}` : ''} ${unit}${words ? ` · ${words}` : ''}`;
    if (line !== this.lastLine) {
      this.lastLine = line;
      this.io.stderr.write(`  ${line}\n`);
    }
  }

  endProgress(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/** A table of rows for people: columns padded to their widest cell (capped). */
export function table(rows: string[][], max = 60): string {
  if (!rows.length) return '';
  const widths = rows[0]!.map((_, i) => Math.min(max, Math.max(...rows.map((r) => (r[i] ?? '').length))));
  return rows
    .map((r) =>
      r
        .map((c, i) =>
          (c.length > max ? `${c.slice(0, max - 1)}…` : c).padEnd(i === r.length - 1 ? 0 : widths[i]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export const n = (x: number) => x.toLocaleString('en');
