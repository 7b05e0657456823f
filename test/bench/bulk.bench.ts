// `npm run bench:bulk`: 2,000 metadata updates through the job runner against a local tenant in its own process
// under --rate-limit 20:20, compared with the ideal pace ((requests − burst) / rate, where each user is read, then
// written) and with a naive Promise.all over the SDK. While the job runs, the window's own requests are timed (they
// must not queue behind the job) and the main process's event loop is watched. Prints its figures; the last line is
// the one the issue asks for.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { ManagementClient } from 'auth0';
import { Agent } from 'undici';
import type { BulkPlanSummary, JobSummary, TaskSummary, TenantProfile } from '../../preload/contract.js';
import { createApp } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { startCliTenant, type CliTenant } from '../support/cli-tenant.js';

const N = Number(process.env.BENCH_USERS ?? 2000);
const RATE = 20;
const BURST = 20;
const args = ['--users', String(N), '--seed', 'bulk-bench', '--rate-limit', `${RATE}:${BURST}`];

async function call<T>(
  app: Awaited<ReturnType<typeof createApp>>,
  channel: string,
  input: unknown,
): Promise<T> {
  const r = await app.router.invoke(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.data as T;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

// ---- through Tenant Desk's job runner ----
const tenant = await startCliTenant(args);
const app = await createApp({
  dataDir: mkdtempSync(join(tmpdir(), 'td-bench-bulk-')),
  host: 'browser',
  version: 'bench',
  vault: new SessionVault(),
});
const profile = await call<TenantProfile>(app, 'tenants:add', {
  label: 'Bench',
  domain: tenant.domain,
  clientId: tenant.admin.clientId,
  environment: 'development',
  color: '#123456',
  caCert: tenant.caCert,
  secret: tenant.admin.clientSecret,
  secretStorage: 'session',
});
const planStarted = performance.now();
const plan = await call<BulkPlanSummary>(app, 'bulk:plan', {
  tenantId: profile.id,
  planId: 'bench-plan-0001',
  source: { kind: 'query', q: '' },
  change: { kind: 'metadata', metadata: 'app_metadata', set: { bench_run: 'bulk' } },
});
console.log(
  `plan: ${plan.willChange} users to change, found by ${plan.enumeration} in ${((performance.now() - planStarted) / 1000).toFixed(1)} s`,
);
// The same seed makes the same users on the naive run's fresh tenant: it updates exactly these.
const ids: string[] = [];
for (let offset = 0; ids.length < plan.total; offset += 500)
  ids.push(
    ...(
      await call<{ items: { userId: string }[] }>(app, 'bulk:plan-items', {
        planId: plan.planId,
        offset,
        limit: 500,
      })
    ).items.map((i) => i.userId),
  );
await (await tenant.fetch('/__emulator/writes', { method: 'DELETE' })).arrayBuffer();
// The bucket refills (planning used some of it) so the job starts from a full burst, as the ideal assumes.
await new Promise((r) => setTimeout(r, (BURST / RATE) * 1000 + 1000));

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const probes: number[] = [];
const someUser = (await (await tenant.api('/users?per_page=1')).json()) as { user_id: string }[];
let running = true;
const probing = (async () => {
  while (running) {
    await new Promise((r) => setTimeout(r, 2000));
    if (!running) break;
    const t0 = performance.now();
    await call(app, 'users:get', { tenantId: profile.id, userId: someUser[0]!.user_id });
    probes.push(performance.now() - t0);
  }
})();
const started = performance.now();
const job = await call<JobSummary>(app, 'bulk:start', { planId: plan.planId });
let last: JobSummary;
for (;;) {
  last = ((await call<TaskSummary>(app, 'tasks:get', { taskId: job.id })).detail as { job: JobSummary }).job;
  if (last.status !== 'running') break;
  await new Promise((r) => setTimeout(r, 200));
}
const seconds = (performance.now() - started) / 1000;
running = false;
await probing;
loop.disable();
const writes = (await (await tenant.fetch('/__emulator/writes')).json()) as Record<string, number>;
const duplicated = Object.values(writes).filter((n) => n > 1).length;
const applied = Object.values(writes).filter((n) => n === 1).length;
await app.close();
await tenant.stop();
// Each user is read just before its write (a user changed since the plan is skipped, never overwritten: Auth0 has
// no conditional write), so the job sends two requests per user; the ideal is the pace of exactly those requests.
const requests = 2 * plan.willChange;
const ideal = (requests - BURST) / RATE;
console.log(
  `job: ${last.status}, ${last.counts.done} done, ${last.counts.failed} failed, ${applied} users written once by the tenant's count`,
);
console.log(
  `the window during the job: users:get median ${percentile(probes, 50).toFixed(0)} ms, max ${Math.max(...probes).toFixed(0)} ms (${probes.length} probes)`,
);
console.log(
  `main event loop during the job: delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
);

// ---- naive: every update at once over the SDK (its own retries on), on a fresh tenant ----
const naiveTenant: CliTenant = await startCliTenant(args);
const naiveAgent = new Agent({ connect: { ca: naiveTenant.caCert } });
const sdk = new ManagementClient({
  domain: naiveTenant.domain,
  clientId: naiveTenant.admin.clientId,
  clientSecret: naiveTenant.admin.clientSecret,
  fetch: ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    fetch(input, { ...init, dispatcher: naiveAgent } as unknown as RequestInit)) as typeof fetch,
});
const naiveStarted = performance.now();
const outcomes = await Promise.allSettled(
  ids.map((id) => sdk.users.update(id, { app_metadata: { bench_run: 'naive' } })),
);
const naiveFailed = outcomes.filter((o) => o.status === 'rejected').length;
const naiveWrites = (await (await naiveTenant.fetch('/__emulator/writes')).json()) as Record<string, number>;
console.log(
  `naive Promise.all over the SDK (its default 2 retries): ${ids.length} updates in ${((performance.now() - naiveStarted) / 1000).toFixed(1)} s, ${naiveFailed} failed, ${Object.keys(naiveWrites).length} applied`,
);
await naiveAgent.close();
await naiveTenant.stop();

// ---- the same job through the command line (tenant-desk, its own process), on a fresh tenant ----
function cli(
  dataDir: string,
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'main/cli/index.ts', '--data-dir', dataDir, ...argv],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, out, err }));
  });
}
const cliTenant = await startCliTenant(args);
const cliDir = mkdtempSync(join(tmpdir(), 'td-bench-cli-'));
const caFile = join(cliDir, 'ca.pem');
writeFileSync(caFile, cliTenant.caCert);
// The secret from the environment, as on a CI runner (kept in the keychain where there is one).
const env = { TENANT_DESK_CLIENT_SECRET: cliTenant.admin.clientSecret };
const added = await cli(
  cliDir,
  [
    'tenants',
    'add',
    '--label',
    'Bench',
    '--domain',
    cliTenant.domain,
    '--client-id',
    cliTenant.admin.clientId,
    '--ca-file',
    caFile,
  ],
  env,
);
if (added.code !== 0) throw new Error(`tenants add: ${added.err}`);
const cliPlan = await cli(
  cliDir,
  ['bulk', 'plan', '--tenant', 'Bench', '--query', '', '--set-app-metadata', 'bench_run=cli', '--json'],
  env,
);
if (cliPlan.code !== 0) throw new Error(`bulk plan: ${cliPlan.err}`);
const cliPlanned = JSON.parse(cliPlan.out) as BulkPlanSummary;
await (await cliTenant.fetch('/__emulator/writes', { method: 'DELETE' })).arrayBuffer();
await new Promise((r) => setTimeout(r, (BURST / RATE) * 1000 + 1000));
const cliStarted = performance.now();
const cliRun = await cli(cliDir, ['bulk', 'run', cliPlanned.planId, '--json'], env);
const cliSeconds = (performance.now() - cliStarted) / 1000;
if (cliRun.code !== 0) throw new Error(`bulk run (exit ${cliRun.code}): ${cliRun.err}`);
const cliJob = JSON.parse(cliRun.out) as JobSummary;
const cliWrites = (await (await cliTenant.fetch('/__emulator/writes')).json()) as Record<string, number>;
await cliTenant.stop();
const cliIdeal = (2 * cliPlanned.willChange - BURST) / RATE;
console.log(
  `command line: bulk run ${cliJob.status}, ${cliJob.counts.done} done, ${cliJob.counts.failed} failed, ${Object.values(cliWrites).filter((n) => n === 1).length} users written once, ${Object.values(cliWrites).filter((n) => n > 1).length} twice; ${cliSeconds.toFixed(1)} s with the process's start (ideal ${cliIdeal.toFixed(1)} s)`,
);

console.log(
  `bulk: ratio ${(seconds / ideal).toFixed(3)} (${seconds.toFixed(1)} s for ${plan.willChange} updates, each a read and a write: ideal ${ideal.toFixed(1)} s), failed ${last.counts.failed}, duplicated ${duplicated}, naive failed ${naiveFailed}`,
);
console.log(`cli: ratio ${(cliSeconds / cliIdeal).toFixed(3)}`);
