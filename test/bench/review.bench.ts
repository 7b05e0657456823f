// The access review report of a large snapshot (1,000,000 users unless told: REVIEW_USERS), with roles, against a
// previous one where some users gained or lost a role, some left and some arrived: how long each format takes and
// how much memory the process holds at most. Prints figures; asserts nothing. `npx tsx test/bench/review.bench.ts`
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareRows, compareSnapshots } from '../../main/offline/compare.js';
import { writeAccessReview } from '../../main/reviews/access-review.js';
import { htmlReport } from '../../main/reviews/report-html.js';
import { xlsxReport } from '../../main/reviews/report-xlsx.js';
import { SnapshotReader, SnapshotWriter } from '../../main/snapshots/snapshot-file.js';

const COUNT = Number(process.env.REVIEW_USERS ?? 1_000_000);
const DAY = 86_400_000;
const ROLES = ['Admin', 'Billing', 'Support', 'Auditor', 'Developer'];
const RATE = [0.002, 0.01, 0.03, 0.005, 0.05];
const dir = mkdtempSync(join(tmpdir(), 'td-review-bench-'));

let peak = 0;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
const mb = (b: number) => `${Math.round(b / 1048576)} MB`;

async function generate(path: string, id: string, later: boolean): Promise<void> {
  let seed = 20261205;
  const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
  const w = new SnapshotWriter(path);
  const now = Date.UTC(2026, 11, 1);
  for (let i = 0; i < COUNT; i++) {
    const r = rand();
    const roles: Record<string, true> = {};
    for (let k = 0; k < ROLES.length; k++) if (rand() < RATE[k]!) roles[ROLES[k]!] = true;
    // The later snapshot: 1 user in 500 gains Billing, 1 in 700 loses every role; 1 in 1000 left, as many arrived.
    if (later && i % 500 === 0) roles.Billing = true;
    if (later && i % 700 === 0) for (const k of Object.keys(roles)) delete roles[k];
    const never = r < 0.1;
    const user = {
      user_id: `auth0|${i.toString(16).padStart(12, '0')}`,
      email: `user${i}@example.com`,
      email_verified: rand() > 0.05,
      name: `User ${i}`,
      created_at: new Date(now - Math.floor(rand() * 900) * DAY).toISOString(),
      ...(never ? {} : { last_login: new Date(now - Math.floor(rand() * 400) * DAY).toISOString() }),
      blocked: rand() < 0.01,
      roles,
      organizations: {},
    };
    // Every draw made whatever happens, so both snapshots draw the same numbers for the same user.
    if ((later && i % 1000 === 1) || (!later && i % 1000 === 2)) continue;
    w.add(user);
  }
  await w.finish({
    id,
    tenantId: null,
    tenantLabel: 'Bench',
    tenantDomain: 'bench.example',
    environment: 'production',
    createdAt: new Date(later ? now : now - 30 * DAY).toISOString(),
    sourceLabel: 'Every user',
    query: null,
    fields: [],
    origin: 'export',
  });
}

let t = performance.now();
await generate(join(dir, 'before.duckdb'), 'snap_00000000000000b0', false);
await generate(join(dir, 'after.duckdb'), 'snap_00000000000000a0', true);
console.log(
  `generated two snapshots of ${COUNT.toLocaleString('en')} users in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

const current = await SnapshotReader.open(join(dir, 'after.duckdb'));
const previous = await SnapshotReader.open(join(dir, 'before.duckdb'));
for (const [format, roles] of [
  ['xlsx', []],
  ['html', []],
  ['xlsx', ['Admin']],
] as const) {
  peak = 0;
  t = performance.now();
  const out = join(dir, `review.${format}`);
  const cmp = join(dir, 'compare.sqlite');
  const writer =
    format === 'xlsx'
      ? xlsxReport(out)
      : htmlReport(out, { title: 'Bench', lede: '', sections: ['Summary'] });
  const s = await writeAccessReview({
    current,
    previous,
    compare: async (fields, progress) => {
      await compareSnapshots(previous, current, cmp, progress, { fields });
      return () => compareRows(cmp);
    },
    roles: [...roles],
    inactiveDays: 90,
    writer,
    progress: () => undefined,
    stopped: () => false,
    cancelled: () => new Error('cancelled'),
    generatedAt: new Date(),
  });
  rmSync(cmp, { force: true });
  console.log(
    `${format}${roles.length ? ` (roles ${roles.join(', ')})` : ''}: ${((performance.now() - t) / 1000).toFixed(1)} s, ${mb(statSync(out).size)} file, peak RSS ${mb(peak)}; ${s.holders.toLocaleString('en')} holders, ${s.flags.accounts.toLocaleString('en')} flagged, ${(s.changes!.gainedRole + s.changes!.lostRole).toLocaleString('en')} role changes, ${s.changes!.added} added, ${s.changes!.removed} removed`,
  );
}
clearInterval(sample);
current.close();
previous.close();
rmSync(dir, { recursive: true, force: true });
