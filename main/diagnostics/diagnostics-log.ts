// What main did and what went wrong, for support: JSON lines in <data dir>/logs/tenant-desk.log, rotated at a size
// limit (tenant-desk.log.1 … .3), every line passed through the secret scrubber. A failure answered to the window
// carries an incident id that is also on its line here, so a user can quote it and a developer can find it.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { scrub, scrubDeep } from '../errors.js';

export type LogLevel = 'info' | 'warn' | 'error';

export const LOG_FILE = 'tenant-desk.log';

export class DiagnosticsLog {
  readonly dir: string;
  readonly file: string;
  private bytes: number;

  constructor(
    dataDir: string,
    /** Secrets known this run: scrubbed from every line. */
    private readonly secrets: () => Iterable<string> = () => [],
    private readonly maxBytes = 5 * 1024 * 1024,
    private readonly keep = 3,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.dir = join(dataDir, 'logs');
    this.file = join(this.dir, LOG_FILE);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.bytes = existsSync(this.file) ? statSync(this.file).size : 0;
  }

  static incidentId(): string {
    return `TD-${randomBytes(5).toString('hex').toUpperCase()}`;
  }

  write(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    const secrets = [...this.secrets()];
    const line = `${scrub(JSON.stringify({ time: this.now().toISOString(), level, event, ...(scrubDeep(fields, secrets) as object) }), secrets)}\n`;
    try {
      if (this.bytes + line.length > this.maxBytes) this.rotate();
      appendFileSync(this.file, line, { mode: 0o600 });
      this.bytes += Buffer.byteLength(line);
    } catch {
      // The diagnostics log must never be the reason something fails.
    }
  }

  private rotate(): void {
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--)
      if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    if (existsSync(this.file)) renameSync(this.file, `${this.file}.1`);
    this.bytes = 0;
  }
}
