// `tenant-desk` (bin/tenant-desk.mjs; `npm run cli -- …` in a checkout): runs one command line and exits with its code.
// No top-level await: the same file is bundled as CommonJS (scripts/build-electron.ts cliBuildOptions).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './program.js';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

void runCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env },
  version,
).then((code) => {
  // Let stdout drain (a JSON document into a pipe), then leave with the command's code.
  process.stdout.write('', () => process.exit(code));
});
