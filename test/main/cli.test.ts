// The command line, driven as users drive it: `tenant-desk …` as a child process against the local tenant, on a data
// directory it shares with a window (an app made here, in this process). A tenant added with its secret from the
// environment; a search equal to the window's; an export past 1,000; a bulk job killed half way, listed as
// interrupted, resumed by its plan id — every user changed once, the audit agreeing; the production guard's exit code
// 3 with nothing changed; a plan made through the window's channels run here; --json parsed for every command.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AuditEntry,
  BulkPlanSummary,
  JobSummary,
  TenantProfile,
  UserSearchResult,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { runCli } from '../../main/cli/program.js';
import { PassThrough } from 'node:stream';
import { startTestTenant, type TestTenant } from '../support/tenant.js';
import {
  cliBuildOptions,
  offlineWorkerBuildOptions,
  snapshotBuilderBuildOptions,
} from '../../scripts/build-electron.js';

let t: TestTenant;
let dataDir: string;
let work: string;
let window: App | null = null;
/** A folder shaped like the installed app: out/main holds the command line bundled as it ships beside the Electron
 * main (with the offline worker and the snapshot builder it starts), node_modules the dependencies. Each command
 * starts in about 0.7 s so, against 1.7–2 s through tsx (bin/tenant-desk.mjs, run by the --help test). */
let app: string;
const admin = () => t.emu.clients.find((c) => c.name === 'admin')!;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `tenant-desk ARGS` in its own process, as a user runs it; `onErr` sees stderr as it comes (to kill it). */
function cli(
  args: string[],
  o: {
    env?: Record<string, string>;
    input?: string;
    onErr?: (text: string, kill: () => void, signal: (s: NodeJS.Signals) => void) => void;
    onOut?: (text: string, signal: (s: NodeJS.Signals) => void) => void;
    /** Through bin/tenant-desk.mjs (the sources run by tsx), the command `npm install` links. */
    bin?: boolean;
  } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [o.bin ? 'bin/tenant-desk.mjs' : join(app, 'out', 'main', 'cli.cjs'), '--data-dir', dataDir, ...args],
      {
        env: { ...process.env, TENANT_DESK_CLIENT_SECRET: '', ...o.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      o.onOut?.(stdout, (sig) => child.kill(sig));
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      o.onErr?.(
        stderr,
        () => child.kill('SIGKILL'),
        (sig) => child.kill(sig),
      );
    });
    child.stdin.end(o.input ?? '');
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? -1 : 1), stdout, stderr }));
  });
}

/** The command's one JSON document (and nothing else on stdout). */
async function json<T>(
  args: string[],
  o: Parameters<typeof cli>[1] = {},
): Promise<{ code: number; data: T; stderr: string }> {
  const r = await cli([...args, '--json'], o);
  let data: T;
  try {
    data = JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(
      `not one JSON document from ${args.join(' ')} (exit ${r.code}):\n${r.stdout}\n${r.stderr}`,
    );
  }
  return { code: r.code, data, stderr: r.stderr };
}

/** A command's --help, in this process (help opens no app). */
async function helpOf(args: string[]): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  const code = await runCli(
    args,
    { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} },
    'test',
  );
  return { code, stdout: text };
}

const auditLines = () =>
  readFileSync(join(dataDir, 'audit.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEntry);

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'td-cli-app-'));
  mkdirSync(join(app, 'out', 'main'), { recursive: true });
  copyFileSync('package.json', join(app, 'package.json'));
  symlinkSync(join(process.cwd(), 'node_modules'), join(app, 'node_modules'), 'dir');
  await Promise.all(
    [cliBuildOptions, offlineWorkerBuildOptions, snapshotBuilderBuildOptions].map((options) =>
      build({
        ...options,
        absWorkingDir: process.cwd(),
        outfile: join(app, options.outfile!),
        sourcemap: false,
      }),
    ),
  );
  t = await startTestTenant({ users: 1500, seed: 'cli' });
  dataDir = mkdtempSync(join(tmpdir(), 'td-cli-'));
  work = mkdtempSync(join(tmpdir(), 'td-cli-files-'));
});
afterAll(async () => {
  await window?.close();
  await t?.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(app, { recursive: true, force: true });
});

describe('tenant-desk, the command line', () => {
  it('adds a tenant with the secret from the environment, keeps it in the keychain, never prints or writes it', async () => {
    const secret = admin().clientSecret!;
    const r = await json<TenantProfile>(
      [
        'tenants',
        'add',
        '--label',
        'Local',
        '--domain',
        t.emu.domain,
        '--client-id',
        admin().clientId,
        '--ca-file',
        t.emu.caCertFile,
        '--environment',
        'staging',
      ],
      { env: { TENANT_DESK_CLIENT_SECRET: secret } },
    );
    expect(r.code).toBe(0);
    expect(r.data).toMatchObject({ label: 'Local', domain: t.emu.domain, secretStorage: 'keychain' });
    // A second, production-tagged profile of the same tenant, its secret piped on stdin.
    const prod = await cli(
      [
        'tenants',
        'add',
        '--label',
        'Prod',
        '--domain',
        t.emu.domain,
        '--client-id',
        admin().clientId,
        '--ca-file',
        t.emu.caCertFile,
        '--environment',
        'production',
      ],
      { input: `${secret}\n` },
    );
    expect(prod.code, prod.stderr).toBe(0);
    const list = await json<TenantProfile[]>(['tenants', 'list']);
    expect(list.data.map((p) => p.label).sort()).toEqual(['Local', 'Prod']);
    const tested = await cli(['tenants', 'test', 'Local']);
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toContain('read:users');
    for (const out of [
      r.stderr,
      JSON.stringify(r.data),
      list.stderr,
      JSON.stringify(list.data),
      tested.stdout,
      prod.stdout,
    ])
      expect(out).not.toContain(secret);
    // Nothing under the data directory holds it.
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      );
    for (const f of files(dataDir)) expect(readFileSync(f, 'utf8').includes(secret), f).toBe(false);
    // No secret at all: said in words, usage exit code.
    const none = await cli(['tenants', 'add', '--label', 'X', '--domain', t.emu.domain, '--client-id', 'c']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('TENANT_DESK_CLIENT_SECRET');
  }, 60_000);

  it('users search --json answers what the window’s search does; --all reads past 1,000', async () => {
    window = await createApp({ dataDir, host: 'browser', version: 'test', resumeLocalTenant: false });
    const local = (await window.router.invoke('tenants:list', {})) as { ok: true; data: TenantProfile[] };
    const tenantId = local.data.find((p) => p.label === 'Local')!.id;
    const q = 'email:*example.com';
    const w = (await window.router.invoke('users:search', { tenantId, q, perPage: 100 })) as {
      ok: true;
      data: UserSearchResult;
    };
    const r = await json<{ total: number; users: { user_id: string }[] }>([
      'users',
      'search',
      '--tenant',
      'Local',
      '--query',
      q,
      '--limit',
      '100',
      '--fields',
      'user_id,email',
    ]);
    expect(r.code).toBe(0);
    expect(r.data.total).toBe(w.data.total);
    expect(r.data.users.map((u) => u.user_id)).toEqual(w.data.users.map((u) => u.user_id));
    const all = await json<{ total: number; users: { user_id: string }[] }>([
      'users',
      'search',
      '--tenant',
      'Local',
      '--all',
      '--fields',
      'user_id',
    ]);
    expect(all.code).toBe(0);
    expect(new Set(all.data.users.map((u) => u.user_id)).size).toBe(1500);
  }, 90_000);

  it('exports 1,500 users past the cap, as CSV', async () => {
    const out = join(work, 'users.csv');
    const r = await json<{ written: number; output: string }>([
      'export',
      '--tenant',
      'Local',
      '--format',
      'csv',
      '--fields',
      'user_id,email,app_metadata.plan',
      '--output',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.data.written).toBe(1500);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('user_id,email,app_metadata.plan');
    expect(lines).toHaveLength(1501);
    expect(statSync(out).mode & 0o077).toBe(0);
  }, 90_000);

  it('bulk: plan, run killed half way, listed interrupted, resumed by its plan id — every user changed exactly once', async () => {
    const plan = await json<BulkPlanSummary>([
      'bulk',
      'plan',
      '--tenant',
      'Local',
      '--query',
      '',
      '--set-app-metadata',
      'cli_test=applied',
    ]);
    expect(plan.code).toBe(0);
    expect(plan.data).toMatchObject({ total: 1500, willChange: 1500, enumeration: 'export' });
    const planId = plan.data.planId;
    t.emu.store.appliedWrites.clear();

    // While it runs, another process may look but not run it; killed (SIGKILL) about half way through, where the
    // job id may never have been seen.
    let done = 0;
    let killedAt = 0;
    let killNow = false;
    const running = cli(['bulk', 'run', planId], {
      onErr: (text, kill) => {
        const m = [...text.matchAll(/^\s+([\d,]+) of ([\d,]+) users/gm)].pop();
        if (m) done = Number(m[1]!.replace(/,/g, ''));
        if (!killedAt && killNow && done >= 500) {
          killedAt = done;
          kill();
        }
      },
    });
    while (done < 100) await new Promise((r) => setTimeout(r, 50));
    const twice = await cli(['bulk', 'resume', planId]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/running in another Tenant Desk \(process \d+\) on this data directory/);
    const seen = await json<JobSummary[]>(['bulk', 'list']);
    expect(seen.data.find((j) => j.planId === planId)).toMatchObject({ status: 'running' });
    killNow = true;
    const run = await running;
    expect(run.code).toBe(-1);
    expect(killedAt).toBeGreaterThanOrEqual(500);
    const applied = () =>
      [...t.emu.store.users.values()].filter(
        (u) => (u.app_metadata as Record<string, unknown>)?.cli_test === 'applied',
      ).length;
    expect(applied()).toBeLessThan(1500);

    const listed = await json<JobSummary[]>(['bulk', 'list']);
    const job = listed.data.find((j) => j.planId === planId)!;
    expect(job).toMatchObject({ status: 'interrupted' });
    const human = await cli(['bulk', 'list']);
    expect(human.stdout).toMatch(new RegExp(`${job.id}\\s+${planId}\\s+interrupted`));

    const resumed = await json<JobSummary>(['bulk', 'resume', planId]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.data).toMatchObject({
      id: job.id,
      status: 'completed',
      counts: { total: 1500, failed: 0 },
    });
    expect(applied()).toBe(1500);
    const counts = [...t.emu.store.users.keys()].map((id) => t.emu.store.appliedWrites.get(id) ?? 0);
    expect(counts.filter((c) => c !== 1)).toEqual([]);
    // The audit agrees: one applied write per user, from the command line (a write in flight at the kill is read
    // back at the next start and recorded as interrupted, applied).
    const last = new Map<string, AuditEntry>();
    for (const e of auditLines()) if (e.jobId === job.id) last.set(e.id, e);
    const perUser = new Map<string, number>();
    for (const e of last.values())
      if (
        e.action === 'user.update-app-metadata' &&
        (e.outcome === 'success' || (e.outcome === 'interrupted' && e.resolution === 'applied'))
      )
        perUser.set(e.target!, (perUser.get(e.target!) ?? 0) + 1);
    expect(perUser.size).toBe(1500);
    expect([...perUser.values()].every((c) => c === 1)).toBe(true);
    expect([...last.values()].every((e) => e.via === 'command-line')).toBe(true);

    const status = await json<JobSummary>(['bulk', 'status', job.id]);
    expect(status.data.status).toBe('completed');
    const results = join(work, 'results.csv');
    const res = await json<{ output: string }>(['bulk', 'results', planId, '--output', results]);
    expect(res.code).toBe(0);
    expect(readFileSync(results, 'utf8').trim().split('\n')).toHaveLength(1501);
  }, 240_000);

  it('on a production tenant, bulk run without --confirm exits 3, changes nothing, and the refusal is audited', async () => {
    const plan = await json<BulkPlanSummary>([
      'bulk',
      'plan',
      '--tenant',
      'Prod',
      '--query',
      'blocked:true',
      '--unblock',
    ]);
    expect(plan.code).toBe(0);
    expect(plan.data.willChange).toBeGreaterThan(0);
    t.emu.store.appliedWrites.clear();
    const refused = await json<{ error: { code: string } }>(['bulk', 'run', plan.data.planId]);
    expect(refused.code).toBe(3);
    expect(refused.data.error.code).toBe('confirmation_required');
    const wrongCount = await cli([
      'bulk',
      'run',
      plan.data.planId,
      '--confirm',
      t.emu.domain,
      '--count',
      '1',
    ]);
    expect(wrongCount.code).toBe(3);
    expect(t.emu.store.appliedWrites.size).toBe(0);
    const refusals = auditLines().filter((e) => e.outcome === 'refused' && e.via === 'command-line');
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    // With the domain and the count typed back, it runs; --reason-ticket goes into every entry of the job.
    const ok = await json<JobSummary>([
      'bulk',
      'run',
      plan.data.planId,
      '--confirm',
      t.emu.domain,
      '--count',
      String(plan.data.willChange),
      '--reason-ticket',
      'CHG-2024',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const ofJob = auditLines().filter((e) => e.jobId === ok.data.id && e.outcome !== 'pending');
    expect(ofJob.length).toBe(plan.data.willChange + 1);
    expect(ofJob.every((e) => e.reason?.ticket === 'CHG-2024')).toBe(true);
    expect(t.emu.store.appliedWrites.size).toBe(plan.data.willChange);
  }, 90_000);

  it('users sessions lists where a user is signed in; users sign-out revokes it all, guarded, with the reason', async () => {
    const store = t.emu.store;
    const userId = [...store.refreshTokens.keys()].find(
      (u) => store.users.get(u)?.identities[0]?.provider === 'auth0' && !store.users.get(u)?.blocked,
    )!;
    const listed = await json<{ sessions: { ok: true; items: { id: string }[] } }>([
      'users',
      'sessions',
      userId,
      '--tenant',
      'Prod',
    ]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.data.sessions.items.map((x) => x.id).sort()).toEqual(
      store.sessions
        .get(userId)!
        .map((x) => x.id)
        .sort(),
    );
    const refused = await cli(['users', 'sign-out', userId, '--tenant', 'Prod', '--block']);
    expect(refused.code).toBe(3);
    expect(store.sessions.has(userId)).toBe(true);
    const done = await json<{ incidentId: string; steps: { step: string; ok: boolean }[] }>([
      'users',
      'sign-out',
      userId,
      '--tenant',
      'Prod',
      '--block',
      '--confirm',
      t.emu.domain,
      '--reason-ticket',
      'SEC-9',
    ]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.data.steps.map((x) => x.step)).toEqual(['block', 'revoke-sessions', 'revoke-refresh-tokens']);
    expect(store.sessions.has(userId) || store.refreshTokens.has(userId)).toBe(false);
    expect(store.users.get(userId)!.blocked).toBe(true);
    // Each write once, with one outcome (never also read back as interrupted by a command started meanwhile).
    const ofIncident = auditLines().filter(
      (e) => e.incidentId === done.data.incidentId && e.outcome !== 'pending',
    );
    expect(ofIncident.map((e) => e.action).sort()).toEqual(
      ['user.block', 'user.incident', 'user.revoke-refresh-tokens', 'user.revoke-sessions'].sort(),
    );
    expect(ofIncident.every((e) => e.reason?.ticket === 'SEC-9' && e.via === 'command-line')).toBe(true);
    // The users of log events, planned from the command line.
    const plan = await json<BulkPlanSummary>([
      'bulk',
      'plan',
      '--tenant',
      'Local',
      '--log-query',
      'type:f',
      '--sign-out',
    ]);
    expect(plan.code, plan.stderr).toBe(0);
    const failed = new Set(store.logs.filter((l) => l.type === 'f').map((l) => l.user_id));
    expect(plan.data.total).toBe(failed.size);
    expect(plan.data.change).toEqual({ kind: 'sign-out-everywhere' });
  }, 90_000);

  it('runs a plan made through the window’s channels, and undoes it', async () => {
    const local = ((await window!.router.invoke('tenants:list', {})) as { ok: true; data: TenantProfile[] })
      .data;
    const tenantId = local.find((p) => p.label === 'Local')!.id;
    const ids = [...t.emu.store.users.values()]
      .filter((u) => !u.blocked)
      .slice(0, 5)
      .map((u) => u.user_id);
    const planned = (await window!.router.invoke('bulk:plan', {
      tenantId,
      planId: 'plan-from-the-window',
      source: { kind: 'users', userIds: ids },
      change: { kind: 'block' },
    })) as { ok: true; data: BulkPlanSummary };
    expect(planned.data.willChange).toBe(5);
    const r = await json<JobSummary>(['bulk', 'run', 'plan-from-the-window']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.data).toMatchObject({
      status: 'completed',
      planId: 'plan-from-the-window',
      counts: { done: 5 },
    });
    expect(ids.every((id) => t.emu.store.users.get(id)!.blocked === true)).toBe(true);
    // The window lists the job the command line ran.
    const tasks = (await window!.router.invoke('tasks:list', {})) as { ok: true; data: { id: string }[] };
    expect(tasks.data.map((x) => x.id)).toContain(r.data.id);
    const undone = await json<JobSummary>(['bulk', 'undo', 'plan-from-the-window']);
    expect(undone.code, undone.stderr).toBe(0);
    expect(ids.every((id) => !t.emu.store.users.get(id)!.blocked)).toBe(true);
  }, 90_000);

  it('prints one JSON document with --json for every command', async () => {
    const snap = await json<{ tenant: string; snapshot: { id: string } }[]>([
      'snapshot',
      'take',
      '--tenant',
      'all-staging',
    ]);
    expect(snap.code).toBe(0);
    expect(snap.data[0]!.snapshot.id).toMatch(/^snap_/);
    const second = await json<{ snapshot: { id: string } }[]>(['snapshot', 'take', '--tenant', 'Local']);
    const [a, b] = [snap.data[0]!.snapshot.id, second.data[0]!.snapshot.id];
    const list = await json<{ id: string }[]>(['snapshot', 'list']);
    expect(list.data.map((x) => x.id)).toEqual(expect.arrayContaining([a, b]));
    const found = await json<{ total: number }>(['snapshot', 'search', a, '--query', 'blocked:true']);
    expect(found.data.total).toBe([...t.emu.store.users.values()].filter((u) => u.blocked).length);
    const cmp = await json<{ added: number; removed: number }>([
      'snapshot',
      'compare',
      a,
      b,
      '--output',
      join(work, 'cmp.csv'),
    ]);
    expect(cmp.data).toMatchObject({ added: 0, removed: 0 });
    expect(existsSync(join(work, 'cmp.csv'))).toBe(true);
    expect((await json<{ deleted: true }>(['snapshot', 'delete', b])).data).toEqual({ deleted: true });

    const csv = join(work, 'people.csv');
    writeFileSync(csv, 'email,name\nnew.one@example.net,New One\nnew.two@example.net,New Two\n');
    const imported = await json<{ status: string; counts: { inserted: number } }>([
      'import',
      '--tenant',
      'Local',
      '--connection',
      'Username-Password-Authentication',
      csv,
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.data).toMatchObject({ status: 'completed', counts: { inserted: 2 } });

    const audit = await json<{ output: string }>([
      'audit',
      '--tenant',
      'Local',
      '--since',
      '2020-01-01',
      '--output',
      join(work, 'audit.csv'),
    ]);
    expect(readFileSync(audit.data.output, 'utf8').split('\n')[0]).toMatch(/time/i);
    const logs = await json<unknown[]>(['logs', '--tenant', 'Local', '--limit', '5']);
    expect(logs.data).toHaveLength(5);
    const roleList = await json<{ id: string; name: string }[]>(['roles', 'list', '--tenant', 'Local']);
    expect(roleList.data.length).toBe(t.emu.store.roles.size);
    const role = roleList.data[0]!;
    const holders = await json<{ user_id: string }[]>([
      'roles',
      'members',
      '--tenant',
      'Local',
      '--role',
      role.name,
    ]);
    expect(holders.data.map((m) => m.user_id).sort()).toEqual(
      [...(t.emu.store.roleUsers.get(role.id) ?? [])].sort(),
    );
    const tenants = await json<unknown[]>(['tenants', 'list']);
    expect(tenants.code).toBe(0);
    const tested = await json<{ scopes: string[] }>(['tenants', 'test', 'Local']);
    expect(tested.data.scopes).toContain('read:users');
    // Removing a production tenant wants its domain typed back, like any guarded change.
    expect((await json<{ error: { code: string } }>(['tenants', 'remove', 'Prod'])).code).toBe(3);
    const removed = await json<unknown>(['tenants', 'remove', 'Prod', '--confirm', t.emu.domain]);
    expect(removed.code, removed.stderr).toBe(0);
    // An error is one JSON document too, with the usage exit code for a tenant that doesn't exist.
    const missing = await json<{ error: { message: string } }>(['users', 'search', '--tenant', 'Nope']);
    expect(missing.code).toBe(2);
    expect(missing.data.error.message).toContain('No tenant "Nope"');
  }, 180_000);

  it('Ctrl+C pauses a running job (resumable), and logs --follow tails new events until it', async () => {
    const plan = await json<BulkPlanSummary>([
      'bulk',
      'plan',
      '--tenant',
      'Local',
      '--query',
      '',
      '--set-user-metadata',
      'paused_test=1',
    ]);
    let sent = false;
    const run = await cli(['bulk', 'run', plan.data.planId], {
      onErr: (text, _kill, signal) => {
        if (!sent && /^\s+[\d,]+ of [\d,]+ users/m.test(text)) {
          sent = true;
          signal('SIGINT');
        }
      },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/: paused/);
    expect(run.stdout).toContain(`Resume it: tenant-desk bulk resume ${plan.data.planId}`);
    const status = await json<JobSummary>(['bulk', 'status', plan.data.planId]);
    expect(status.data.status).toBe('paused');
    expect(status.data.counts.remaining).toBeGreaterThan(0);
    const cancelled = await cli(['bulk', 'resume', plan.data.planId]);
    expect(cancelled.code, cancelled.stderr).toBe(0);

    // logs --follow: the newest events, then new ones as JSON lines, until SIGINT.
    let lines = 0;
    let made = false;
    let stopped = false;
    const follow = await cli(['logs', '--tenant', 'Local', '--limit', '2', '--follow', '--json'], {
      onOut: (text, signal) => {
        lines = text.split('\n').filter(Boolean).length;
        if (lines >= 2 && !made) {
          made = true;
          void t
            .client()
            .users.update([...t.emu.store.users.keys()][0]!, { user_metadata: { followed: true } });
        }
        const later = text.split('\n').filter(Boolean).slice(2);
        if (!stopped && later.some((l) => l.includes('"type":"sapi"'))) {
          stopped = true;
          signal('SIGINT');
        }
      },
    });
    expect(follow.code).toBe(0);
    const events = follow.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string });
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.slice(2).some((e) => e.type === 'sapi')).toBe(true);
  }, 120_000);

  it('--help lists every command with examples and the exit codes; a bad option is a usage error', async () => {
    // The command as `npm install` links it: bin/tenant-desk.mjs, the sources through tsx.
    const help = await cli(['--help'], { bin: true });
    expect(help.code).toBe(0);
    for (const c of ['tenants', 'users', 'export', 'snapshot', 'bulk', 'import', 'audit', 'logs'])
      expect(help.stdout).toContain(c);
    expect(help.stdout).toContain('3 refused by the production guard');
    const bulkHelp = await cli(['bulk', 'plan', '--help']);
    expect(bulkHelp.stdout).toContain('--set-app-metadata');
    expect(bulkHelp.stdout).toContain('Examples:');
    // Every command's help has an example.
    for (const c of [
      ['tenants', 'list'],
      ['tenants', 'add'],
      ['tenants', 'test'],
      ['tenants', 'remove'],
      ['users', 'search'],
      ['export'],
      ['snapshot', 'take'],
      ['snapshot', 'list'],
      ['snapshot', 'search'],
      ['snapshot', 'compare'],
      ['snapshot', 'review'],
      ['snapshot', 'delete'],
      ['bulk', 'plan'],
      ['bulk', 'run'],
      ['bulk', 'list'],
      ['bulk', 'status'],
      ['bulk', 'resume'],
      ['bulk', 'undo'],
      ['bulk', 'results'],
      ['roles', 'list'],
      ['roles', 'members'],
      ['import'],
      ['audit'],
      ['logs'],
    ]) {
      const h = await helpOf([...c, '--help']);
      expect(h.stdout, c.join(' ')).toMatch(/Examples?[^\n]*:\n {2}.*tenant-desk /);
    }
    const bad = await cli(['export', '--tenant', 'Local', '--format', 'pdf', '--output', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('pdf');
  }, 60_000);
});
