// `npm run bench:hardening`: the hardening review's figures. (1) 300 concurrent metadata updates through the app
// against a local tenant (its own process) under --rate-limit 10:10 --fail-rate 0.1: how many were applied exactly
// once (counted by the tenant) and audited. (2) How long hostile queries take on 100,000 users. (3) Hostile files
// opened as snapshots through the app's channels — a 200 MB single line, a gzip bomb — and a file of huge users kept:
// the time to refuse and the process's peak RSS (measured first, while the process holds nothing else). Prints;
// asserts nothing. The last line is the intake's.
import { closeSync, mkdtempSync, openSync, statSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AuditEntry, Auth0User, ExportStatus, TenantProfile } from '../../preload/contract.js';
import { INTAKE_PEAK_RSS_BOUND_MB } from '../../main/intake/text.js';
import { exportProgress, uploadThroughRouter } from '../support/router.js';
import { createApp } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { TenantStore } from '../../emulator/store.js';
import { seedTenant } from '../../emulator/seed.js';
import { startCliTenant } from '../support/cli-tenant.js';

const UPDATES = Number(process.env.BENCH_UPDATES ?? 300);

// ---- (3) file intake: what the worst files cost (first, in a fresh process, so that its RSS is its own) ----
const intakeApp = await createApp({
  dataDir: mkdtempSync(join(tmpdir(), 'td-bench-intake-')),
  host: 'browser',
  version: 'bench',
  vault: new SessionVault(),
});
const files = mkdtempSync(join(tmpdir(), 'td-bench-intake-files-'));
function write(name: string, parts: Iterable<Buffer | string>): string {
  const path = join(files, name);
  const fd = openSync(path, 'w');
  for (const p of parts) writeSync(fd, typeof p === 'string' ? Buffer.from(p) : p);
  closeSync(fd);
  return path;
}
const ended = new Map<string, (s: ExportStatus) => void>();
intakeApp.router.subscribe((event, payload) => {
  const s = exportProgress(event, payload);
  if (s && ['completed', 'failed', 'cancelled'].includes(s.phase)) ended.get(s.exportId)?.(s);
});
let opened = 0;
/** Opens an uploaded file as a snapshot: the time from asking to the answer, and the peak RSS meanwhile. */
async function open(
  name: string,
  path: string,
): Promise<{ seconds: number; peakMb: number; baseMb: number; status: ExportStatus }> {
  const uploadId = await uploadThroughRouter(intakeApp, name, path);
  const exportId = `bench-intake-${++opened}`;
  const done = new Promise<ExportStatus>((resolve) => ended.set(exportId, resolve));
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const t0 = performance.now();
  const started = (await intakeApp.router.invoke('snapshots:open-file', {
    exportId,
    uploadId,
    label: name,
  })) as {
    ok: true;
    data: ExportStatus;
  };
  const status = ['completed', 'failed'].includes(started.data.phase) ? started.data : await done;
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { seconds, peakMb: peak / 1048576, baseMb: base / 1048576, status };
}
// The worker started first, so that its start-up is not counted as a file's.
await open('warm-up.ndjson', write('warm-up.ndjson', ['{"user_id":"auth0|warm"}\n']));
const line = await open(
  'one-line.ndjson',
  write(
    'one-line.ndjson',
    (function* () {
      yield '{"user_id":"auth0|1","blob":"';
      for (let i = 0; i < 200; i++) yield Buffer.alloc(1024 * 1024, 0x61);
      yield '"}\n';
    })(),
  ),
);
const block = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x61), { level: 9 });
const bomb = await open(
  'bomb.json.gz',
  write(
    'bomb.json.gz',
    (function* () {
      yield gzipSync('{"user_id":"auth0|1","blob":"');
      for (let i = 0; i < 64; i++) yield block;
    })(),
  ),
);
const huge = await open(
  'huge-users.ndjson',
  write(
    'huge-users.ndjson',
    (function* () {
      for (let i = 0; i < 24; i++) {
        yield `{"user_id":"auth0|big${i}","user_metadata":{"blob":"`;
        for (let j = 0; j < 15; j++) yield Buffer.alloc(1024 * 1024, 0x62);
        yield '"}}\n';
      }
    })(),
  ),
);
await intakeApp.close();

// ---- (1) metadata updates under faults ----
const tenant = await startCliTenant([
  '--users',
  String(UPDATES + 50),
  '--seed',
  'hardening',
  '--rate-limit',
  '10:10',
  '--fail-rate',
  '0.1',
]);
const app = await createApp({
  dataDir: mkdtempSync(join(tmpdir(), 'td-bench-hard-')),
  host: 'browser',
  version: 'bench',
  vault: new SessionVault(),
});
const added = await app.router.invoke('tenants:add', {
  label: 'Flaky',
  domain: tenant.domain,
  clientId: tenant.admin.clientId,
  environment: 'development',
  color: '#aa5500',
  caCert: tenant.caCert,
  secret: tenant.admin.clientSecret,
  secretStorage: 'session',
});
if (!added.ok) throw new Error(added.error.message);
const profile = added.data as TenantProfile;
// The users to update, read straight from the tenant (retrying its injected failures).
const users: Auth0User[] = [];
for (let page = 0; users.length < UPDATES; page++) {
  const res = await tenant.api(`/users?per_page=100&page=${page}&sort=created_at:1`);
  if (!res.ok) {
    page--;
    await new Promise((r) => setTimeout(r, 200));
    continue;
  }
  users.push(...((await res.json()) as Auth0User[]).slice(0, UPDATES - users.length));
}
await new Promise((r) => setTimeout(r, 2_000)); // let the tenant's bucket fill again
const started = performance.now();
const results = await Promise.all(
  users.map((u, i) =>
    app.router.invoke('users:update-metadata', {
      tenantId: profile.id,
      userId: u.user_id,
      kind: 'user_metadata',
      changes: { bench: i },
      expectedUpdatedAt: u.updated_at,
    }),
  ),
);
const seconds = (performance.now() - started) / 1000;
const writes = (await (await tenant.fetch('/__emulator/writes')).json()) as Record<string, number>;
const once = users.filter((u) => writes[u.user_id] === 1).length;
const duplicated = users.filter((u) => (writes[u.user_id] ?? 0) > 1).length;
const audit = (await app.router.invoke('audit:list', { tenantId: profile.id, limit: 5000 })) as {
  ok: true;
  data: AuditEntry[];
};
const audited = audit.data.filter(
  (e) => e.action === 'user.update-user-metadata' && e.outcome === 'success',
).length;
const failed = results.filter((r) => !r.ok).length;
await app.close();
await tenant.stop();
console.log(
  `metadata updates: ${UPDATES} concurrent under --rate-limit 10:10 --fail-rate 0.1 in ${seconds.toFixed(1)} s (each is a read and a write: ideal ${((2 * UPDATES - 10) / 10).toFixed(1)} s)`,
);

// ---- (2) hostile queries on 100,000 users ----
const store = new TenantStore();
store.untracked(() => seedTenant(store, { users: 100_000, seed: 'bench' }));
const queries: [string, string][] = [
  [
    '20 wildcards',
    Array.from({ length: 20 }, (_, i) => `name:*${['abc', 'bcd', 'cde'][i % 3]}*e*`).join(' OR '),
  ],
  ['email:a********z', 'email:a********z'],
  ['10,000 nested parentheses', `${'('.repeat(10_000)}a${')'.repeat(10_000)}`],
  ['a 4,000-character term', `name:${'a'.repeat(4000)}`],
  ['a 4,000-character wildcard', `name:*${'ab'.repeat(1999)}*`],
];
const timings: string[] = [];
for (const [label, q] of queries) {
  const t0 = performance.now();
  let outcome: string;
  try {
    outcome = `${store.index.query(q, { offset: 0, limit: 50 }).total} results`;
  } catch (err) {
    outcome = `400: ${(err as Error).message.slice(0, 60)}…`;
  }
  const ms = performance.now() - t0;
  timings.push(`${label} ${ms.toFixed(1)} ms`);
  console.log(`query over 100,000 users, ${label}: ${ms.toFixed(1)} ms (${outcome})`);
}
console.log(
  `hardening: ${once}/${UPDATES} applied exactly once, duplicated ${duplicated}, failed ${failed}, audited ${audited}; queries: ${timings.join(', ')}`,
);

const said = (r: { status: ExportStatus }) => r.status.error?.message.split(':')[0] ?? r.status.phase;
console.log(
  `intake: a gzip bomb (1 GB of one line from ${(statSync(join(files, 'bomb.json.gz')).size / 1048576).toFixed(1)} MB) refused in ${bomb.seconds.toFixed(2)} s, peak RSS ${bomb.peakMb.toFixed(0)} MB (+${(bomb.peakMb - bomb.baseMb).toFixed(0)}): ${said(bomb)}`,
);
console.log(
  `intake: 24 users of 15 MB kept in ${huge.seconds.toFixed(1)} s (${huge.status.phase}), peak RSS ${huge.peakMb.toFixed(0)} MB (+${(huge.peakMb - huge.baseMb).toFixed(0)}); the bound on what an intake adds: ${INTAKE_PEAK_RSS_BOUND_MB} MB`,
);
console.log(`intake: the 200 MB line: ${said(line)} (+${(line.peakMb - line.baseMb).toFixed(0)} MB)`);
console.log(
  `intake: 200 MB line refused in ${line.seconds.toFixed(2)} s, peak RSS ${line.peakMb.toFixed(0)} MB`,
);
