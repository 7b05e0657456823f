// Bulk edits through the router against a real local tenant: choosing users (past the 1,000 cap, from lists),
// idempotent plans, the production guard, runs that pause themselves (a locked keychain, a 429 storm) and lose
// nothing, retries, results, the audit trail, and undo that never overwrites a user changed since.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AuditEntry,
  BulkPlanItem,
  BulkPlanSummary,
  JobItem,
  JobSummary,
  TaskSummary,
  TenantProfile,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { AppError } from '../../main/errors.js';
import { SessionVault } from '../../main/vault/index.js';
import type { User } from '../../emulator/model.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

/** A keychain that can be locked mid-job, as a screen lock would. */
class LockableVault extends SessionVault {
  locked = false;
  override async get(account: string) {
    if (this.locked)
      throw new AppError('keychain_locked', 'The OS keychain is locked. Unlock it and try again.');
    return super.get(account);
  }
}

let t: TestTenant;
let app: App;
let tenant: TenantProfile;
let prod: TenantProfile;
const vault = new LockableVault();
let planNo = 0;
const nextPlanId = () => `plan-test-${String(++planNo).padStart(4, '0')}`;

beforeAll(async () => {
  t = await startTestTenant({ users: 3000, seed: 'bulk' });
  app = await createApp({
    dataDir: mkdtempSync(join(tmpdir(), 'td-bulk-')),
    host: 'browser',
    version: 'test',
    vault,
    scheduler: { baseDelayMs: 20, maxDelayMs: 200 },
    jobRetryDelayMs: 20,
  });
  const admin = t.emu.clients.find((c) => c.name === 'admin')!;
  const add = async (label: string, environment: string) =>
    call<TenantProfile>('tenants:add', {
      label,
      domain: t.emu.domain,
      clientId: admin.clientId,
      environment,
      color: '#123456',
      caCert: t.emu.caCert,
      secret: admin.clientSecret,
      secretStorage: 'keychain',
    });
  tenant = await add('Bulk', 'development');
  prod = await add('Bulk (production)', 'production');
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const r = await app.router.invoke(channel, payload);
  if (!r.ok)
    throw Object.assign(new Error(`${channel}: ${r.error.code}: ${r.error.message}`), { envelope: r.error });
  return r.data as T;
}
async function fails(channel: string, payload: unknown) {
  const r = await app.router.invoke(channel, payload);
  expect(r.ok, `${channel} should fail`).toBe(false);
  return (r as { ok: false; error: { code: string; message: string; details?: unknown } }).error;
}
const plan = (source: unknown, change: unknown, tenantId = tenant.id) =>
  call<BulkPlanSummary>('bulk:plan', { tenantId, planId: nextPlanId(), source, change });
async function allItems(planId: string, status?: 'change' | 'skip'): Promise<BulkPlanItem[]> {
  const out: BulkPlanItem[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await call<{ items: BulkPlanItem[]; total: number }>('bulk:plan-items', {
      planId,
      ...(status ? { status } : {}),
      offset,
      limit: 500,
    });
    out.push(...page.items);
    if (out.length >= page.total) return out;
  }
}
/** A job as the Bulk edits screen shows it: its task's detail. */
async function jobNow(jobId: string): Promise<JobSummary> {
  return ((await call<TaskSummary>('tasks:get', { taskId: jobId })).detail as { job: JobSummary }).job;
}
async function control(jobId: string, action: 'pause' | 'resume' | 'cancel'): Promise<JobSummary> {
  const task = await call<TaskSummary>('tasks:control', { taskId: jobId, action });
  return (task.detail as { job: JobSummary }).job;
}
async function finished(jobId: string, until: (j: JobSummary) => boolean = (j) => j.status !== 'running') {
  for (;;) {
    const job = await jobNow(jobId);
    if (until(job)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}
async function run(source: unknown, change: unknown, tenantId = tenant.id, guard?: unknown) {
  const p = await plan(source, change, tenantId);
  const job = await call<JobSummary>('bulk:start', { planId: p.planId, ...(guard ? { guard } : {}) });
  return { plan: p, job: await finished(job.id) };
}
const users = () => [...t.emu.store.users.values()];
const db = () => users().filter((u) => u.identities[0]?.provider === 'auth0');
const writes = (id: string) => t.emu.store.appliedWrites.get(id) ?? 0;

describe('choosing the users', () => {
  it('takes every user matching a query past the 1,000 cap (an export, filtered as the tenant searches)', async () => {
    const q = 'identities.connection:"Username-Password-Authentication" AND NOT blocked:true';
    const expected = t.emu.store.index
      .matchAll(q)
      .map((u) => u.user_id as string)
      .sort();
    expect(expected.length).toBeGreaterThan(1000);
    const p = await plan(
      { kind: 'query', q },
      { kind: 'metadata', metadata: 'app_metadata', set: { probe: 1 } },
    );
    expect(p).toMatchObject({ enumeration: 'export', total: expected.length, willChange: expected.length });
    expect((await allItems(p.planId)).map((i) => i.userId).sort()).toEqual(expected);
    // Under the cap, a plain search gives the same thing.
    const small = 'email:*@example.com AND app_metadata.plan:"pro"';
    const few = t.emu.store.index
      .matchAll(small)
      .map((u) => u.user_id as string)
      .sort();
    expect(few.length).toBeLessThan(1000);
    const p2 = await plan({ kind: 'query', q: small }, { kind: 'block' });
    expect(p2.enumeration).toBe('search');
    expect((await allItems(p2.planId)).map((i) => i.userId).sort()).toEqual(few);
    // A malformed query says so before anything else happens.
    const bad = await fails('bulk:plan', {
      tenantId: tenant.id,
      planId: nextPlanId(),
      source: { kind: 'query', q: 'name:(broken' },
      change: { kind: 'block' },
    });
    expect(bad).toMatchObject({
      code: 'invalid_query',
      message: expect.stringContaining('missing closing parenthesis'),
    });
  });

  it('lists unknown and ambiguous entries of a pasted list or file, never dropping them', async () => {
    const social = users().find((u) => u.identities[0]?.isSocial && u.email)!;
    // A database user with the same email as a social one: that email names two users.
    await t.client().users.create({
      connection: 'Username-Password-Authentication',
      email: social.email!,
      password: 'Ambiguous-Pass-1',
    });
    const known = db().slice(0, 3);
    const text = [
      'user_id,email',
      `${known[0]!.user_id},`,
      `,${known[1]!.email}`,
      `${known[2]!.user_id},${known[2]!.email}`,
      'auth0|000000000000000000000000,',
      ',nobody@example.invalid',
      `,${social.email}`,
    ].join('\n');
    const p = await plan({ kind: 'list', text, name: 'leavers.csv' }, { kind: 'block' });
    expect(p.sourceLabel).toBe('6 listed entries from leavers.csv');
    expect(p.total).toBe(3);
    expect(p.unknown).toEqual([
      { entry: 'auth0|000000000000000000000000', reason: 'no user has this id' },
      { entry: 'nobody@example.invalid', reason: 'no user has this email' },
    ]);
    expect(p.ambiguous).toHaveLength(1);
    expect(p.ambiguous[0]!.entry).toBe(social.email);
    expect(p.ambiguous[0]!.matches.map((m) => m.connection).sort()).toEqual(
      ['Username-Password-Authentication', social.identities[0]!.connection].sort(),
    );
    // A long list is matched against one export: the same answer.
    const long = [
      ...db()
        .slice(0, 250)
        .map((u) => u.user_id),
      'auth0|000000000000000000000000',
      social.email!,
    ].join('\n');
    const p2 = await plan({ kind: 'list', text: long }, { kind: 'block' });
    expect(p2).toMatchObject({ enumeration: 'export', total: 250 });
    expect(p2.unknown.map((u) => u.entry)).toEqual(['auth0|000000000000000000000000']);
    expect(p2.ambiguous.map((a) => a.entry)).toEqual([social.email]);
    const empty = await fails('bulk:plan', {
      tenantId: tenant.id,
      planId: nextPlanId(),
      source: { kind: 'list', text: ' \n ,; ' },
      change: { kind: 'block' },
    });
    expect(empty.message).toBe('The list has no user ids or emails.');
  });

  it('plans idempotently: users already as asked are skipped, with the reason, and nothing is sent for them', async () => {
    const some = db().slice(100, 130);
    await run(
      { kind: 'users', userIds: some.slice(0, 10).map((u) => u.user_id) },
      {
        kind: 'metadata',
        metadata: 'user_metadata',
        set: { team: 'blue' },
      },
    );
    const p = await plan(
      { kind: 'users', userIds: some.map((u) => u.user_id) },
      {
        kind: 'metadata',
        metadata: 'user_metadata',
        set: { team: 'blue' },
      },
    );
    expect(p).toMatchObject({
      total: 30,
      willChange: 20,
      skipped: 10,
      skipReasons: [{ note: 'already as asked', count: 10 }],
    });
    const first = some[0]!.user_id;
    const before = writes(first);
    const { job } = await run(
      { kind: 'users', userIds: some.map((u) => u.user_id) },
      {
        kind: 'metadata',
        metadata: 'user_metadata',
        set: { team: 'blue' },
      },
    );
    expect(job.counts).toMatchObject({ done: 20, skipped: 10, failed: 0 });
    expect(writes(first)).toBe(before);
  });
});

describe('bad input', () => {
  it('refuses invalid values, reserved keys and unknown roles with clear errors, before anything is read or sent', async () => {
    const go = (change: unknown) =>
      fails('bulk:plan', {
        tenantId: tenant.id,
        planId: nextPlanId(),
        source: { kind: 'query', q: '' },
        change,
      });
    const deep = JSON.parse(`${'['.repeat(150)}${']'.repeat(150)}`) as unknown;
    expect((await go({ kind: 'metadata', metadata: 'user_metadata', set: { x: deep } })).message).toMatch(
      /nested at most 100 levels/,
    );
    expect(
      (await go({ kind: 'metadata', metadata: 'app_metadata', set: { blocked: true } })).message,
    ).toMatch(/"blocked" is reserved by Auth0/);
    expect((await go({ kind: 'metadata', metadata: 'app_metadata', set: {}, remove: [] })).message).toMatch(
      /Set or remove at least one key/,
    );
    expect((await go({ kind: 'roles', add: ['rol_doesnotexist00000'] })).message).toBe(
      'The role rol_doesnotexist00000 does not exist on this tenant.',
    );
  });
});

describe('running', () => {
  it('pauses itself when the keychain locks mid-job, loses nothing, and finishes once unlocked', async () => {
    const targets = db().slice(200, 260);
    const p = await plan(
      { kind: 'users', userIds: targets.map((u) => u.user_id) },
      {
        kind: 'metadata',
        metadata: 'app_metadata',
        set: { locked_run: true },
      },
    );
    const started = await call<JobSummary>('bulk:start', { planId: p.planId });
    await finished(started.id, (j) => j.counts.done >= 10);
    vault.locked = true;
    // The cached token runs out: the next request needs the secret from the locked keychain.
    app.tenants.connection(tenant.id).tokens.invalidate();
    const paused = await finished(started.id);
    vault.locked = false;
    expect(paused.status).toBe('paused');
    expect(paused.pausedReason).toMatch(/Paused: The OS keychain is locked/);
    expect(paused.counts.remaining).toBeGreaterThan(0);
    await control(started.id, 'resume');
    const done = await finished(started.id);
    expect(done).toMatchObject({ status: 'completed', counts: { done: 60, failed: 0, remaining: 0 } });
    // Nothing reached the tenant while the keychain was locked: each user was written exactly once.
    for (const u of targets) {
      expect(t.emu.store.users.get(u.user_id)!.app_metadata?.locked_run).toBe(true);
      expect(writes(u.user_id)).toBe(1);
    }
  });

  it('pauses itself in a 429 storm, loses nothing, and finishes when the tenant calms down', async () => {
    const targets = db().slice(300, 340);
    const p = await plan({ kind: 'users', userIds: targets.map((u) => u.user_id) }, { kind: 'block' });
    t.emu.store.faults.push({ method: 'PATCH', path: /^\/api\/v2\/users\//, status: 429, times: 1_000_000 });
    const started = await call<JobSummary>('bulk:start', { planId: p.planId });
    const paused = await finished(started.id);
    t.emu.store.faults = [];
    expect(paused.status).toBe('paused');
    expect(paused.pausedReason).toMatch(/keeps refusing requests for its rate limit \(429\)/);
    // One of them was blocked already (the plan skips it); nobody else got blocked during the storm.
    expect(paused.counts).toMatchObject({ done: 0, failed: 0, remaining: p.willChange });
    expect(targets.filter((u) => t.emu.store.users.get(u.user_id)!.blocked)).toHaveLength(p.skipped);
    await control(started.id, 'resume');
    expect(await finished(started.id)).toMatchObject({
      status: 'completed',
      counts: { done: p.willChange, failed: 0 },
    });
    expect(targets.every((u) => t.emu.store.users.get(u.user_id)!.blocked)).toBe(true);
  });

  it('shows the tenant\u2019s rate limit (from its x-ratelimit-* headers) while it runs, and not after', async () => {
    const targets = db().slice(1200, 1500);
    const p = await plan(
      { kind: 'users', userIds: targets.map((u) => u.user_id) },
      { kind: 'metadata', metadata: 'app_metadata', set: { rate_probe: true } },
    );
    const started = await call<JobSummary>('bulk:start', { planId: p.planId });
    let seen: JobSummary['tenantLimit'];
    const done = await finished(started.id, (j) => {
      if (j.status === 'running' && j.tenantLimit) seen ??= j.tenantLimit;
      return j.status !== 'running';
    });
    expect(done.status).toBe('completed');
    // The local tenant's bucket (not enforced in these tests): 1,000 requests.
    expect(seen).toMatchObject({ limit: 1000 });
    expect(done.tenantLimit).toBeUndefined();
    expect(done.finishedAt).toBeDefined();
  });

  it('can be paused, resumed and cancelled; cancelled users are listed as such', async () => {
    const targets = db().slice(400, 700);
    const p = await plan(
      { kind: 'users', userIds: targets.map((u) => u.user_id) },
      { kind: 'mark-verified' },
    );
    const started = await call<JobSummary>('bulk:start', { planId: p.planId });
    const paused = await control(started.id, 'pause');
    expect(paused.status).toBe('paused');
    const resumed = await control(started.id, 'resume');
    expect(resumed.status).toBe('running');
    const cancelled = await control(started.id, 'cancel');
    expect(cancelled.status).toBe('cancelled');
    const listed = await call<{ items: JobItem[]; total: number }>('jobs:items', {
      jobId: started.id,
      state: 'cancelled',
      limit: 500,
    });
    expect(listed.total + cancelled.counts.done + cancelled.counts.skipped).toBe(p.total);
    expect(await fails('tasks:control', { taskId: started.id, action: 'resume' })).toMatchObject({
      code: 'validation',
    });
  });

  it('retries the failed ones, audits the job once and each user once, and exports the outcomes', async () => {
    const targets = db().slice(800, 820);
    const broken = targets.slice(0, 3).map((u) => u.user_id);
    t.emu.store.faults = broken.map((id) => ({
      method: 'PATCH',
      path: new RegExp(`^/api/v2/users/${encodeURIComponent(id).replace(/\|/g, '\\|')}$`),
      status: 400,
      times: 1,
    }));
    const { job } = await run(
      { kind: 'users', userIds: targets.map((u) => u.user_id) },
      {
        kind: 'metadata',
        metadata: 'user_metadata',
        set: { retried: 'yes' },
      },
    );
    t.emu.store.faults = [];
    expect(job.counts).toMatchObject({ done: 17, failed: 3 });
    const failed = await call<{ items: JobItem[] }>('jobs:items', { jobId: job.id, state: 'failed' });
    expect(failed.items.map((i) => i.userId).sort()).toEqual([...broken].sort());
    expect(failed.items[0]!.error).toBeTruthy();
    const retry = await call<BulkPlanSummary>('jobs:retry-plan', { jobId: job.id, planId: nextPlanId() });
    expect(retry).toMatchObject({ total: 3, willChange: 3 });
    const second = await finished((await call<JobSummary>('bulk:start', { planId: retry.planId })).id);
    expect(second).toMatchObject({ status: 'completed', retryOf: job.id, counts: { done: 3 } });

    const audit = await call<AuditEntry[]>('audit:list', { jobId: job.id, limit: 100 });
    const jobEntry = audit.filter((e) => e.action === 'bulk.metadata');
    expect(jobEntry).toHaveLength(1);
    expect(jobEntry[0]).toMatchObject({
      outcome: 'failure',
      target: '20 users',
      after: { done: 17, failed: 3 },
    });
    const perUser = audit.filter((e) => e.action === 'user.update-user-metadata');
    expect(perUser).toHaveLength(20);
    expect(perUser.filter((e) => e.outcome === 'success')).toHaveLength(17);

    const file = await call<{ id: string }>('tasks:results', { taskId: job.id });
    const rows = parse(readFileSync(app.downloads.get(file.id).path, 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows).toHaveLength(20);
    expect(
      rows
        .filter((r) => r.outcome === 'failed')
        .map((r) => r.user_id)
        .sort(),
    ).toEqual([...broken].sort());
    // The values as the user now has them (not the updated_at undo keeps to notice later edits).
    expect(JSON.parse(rows.find((r) => r.outcome === 'done')!.after!)).toEqual({ retried: 'yes' });
  });

  it('creates password-change links for many users, given as a CSV with their expiry', async () => {
    const targets = [...db().slice(900, 905), users().find((u) => u.identities[0]?.isSocial)!];
    const { job, plan: p } = await run(
      { kind: 'users', userIds: targets.map((u) => u.user_id) },
      {
        kind: 'password-link',
        ttlSec: 7200,
      },
    );
    expect(p.skipReasons[0]!.note).toMatch(/^password: signs in with/);
    expect(job.counts).toMatchObject({ done: 5, skipped: 1 });
    const file = await call<{ id: string }>('tasks:results', { taskId: job.id });
    const rows = parse(readFileSync(app.downloads.get(file.id).path, 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const links = rows.filter((r) => r.outcome === 'done');
    expect(links).toHaveLength(5);
    for (const r of links) {
      expect(r.password_change_link).toMatch(/\/u\/reset-password\?ticket=/);
      expect(Date.parse(r.link_expires_at!) - Date.now()).toBeGreaterThan(7000_000);
    }
    // The links never reach the journal or the audit log.
    const dir = app.tasks.taskDir(job.id);
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).not.toContain('ticket=');
  });

  it('needs the domain and the number of users typed back on a production tenant, and audits a refusal', async () => {
    const targets = db()
      .slice(950, 957)
      .map((u) => u.user_id);
    const p = await plan({ kind: 'users', userIds: targets }, { kind: 'block' }, prod.id);
    for (const guard of [
      undefined,
      { confirmed: true, typedDomain: t.emu.domain },
      { confirmed: true, typedDomain: t.emu.domain, typedCount: 6 },
    ])
      expect(await fails('bulk:start', { planId: p.planId, ...(guard ? { guard } : {}) })).toMatchObject({
        code: 'confirmation_required',
        details: { level: 'typed-domain-and-count', count: 7 },
      });
    expect(targets.every((id) => !t.emu.store.users.get(id)!.blocked)).toBe(true);
    const job = await call<JobSummary>('bulk:start', {
      planId: p.planId,
      guard: { confirmed: true, typedDomain: t.emu.domain, typedCount: 7 },
    });
    expect((await finished(job.id)).counts.done).toBe(7);
    const refused = (await call<AuditEntry[]>('audit:list', { tenantId: prod.id, limit: 50 })).filter(
      (e) => e.outcome === 'refused' && e.action === 'bulk.block',
    );
    expect(refused).toHaveLength(3);
  });
});

describe('undo', () => {
  it('restores the earlier state of a metadata and a role job, except users changed in between, which are reported', async () => {
    const targets = db().slice(1000, 1040);
    const ids = targets.map((u) => u.user_id);
    const original = new Map(
      ids.map((id) => [id, structuredClone(t.emu.store.users.get(id)!.app_metadata ?? {})]),
    );
    const role = [...t.emu.store.roles.values()].find((r) => r.name === 'Auditor')!;
    const heldBefore = new Set(ids.filter((id) => t.emu.store.roleUsers.get(role.id)!.has(id)));
    const m = await run(
      { kind: 'users', userIds: ids },
      {
        kind: 'metadata',
        metadata: 'app_metadata',
        set: { department: 'sales' },
        remove: ['customer_id'],
      },
    );
    const r = await run({ kind: 'users', userIds: ids }, { kind: 'roles', add: [role.id] });
    // The users' before / after hold role ids: the plan and the job carry the roles' names for the window.
    expect(r.plan.roleNames).toEqual({ [role.id]: 'Auditor' });
    expect(r.job.roleNames).toEqual({ [role.id]: 'Auditor' });
    expect(m.job.status).toBe('completed');
    expect(r.job.counts.done).toBe(ids.length - heldBefore.size);
    // Meanwhile, someone else edits one user and removes the role from another.
    const editedElsewhere = ids[0]!;
    await t.client().users.update(editedElsewhere, { app_metadata: { department: 'support' } });
    const roleChangedElsewhere = ids.find((id) => !heldBefore.has(id) && id !== editedElsewhere)!;
    await t.client().users.roles.delete(roleChangedElsewhere, { roles: [role.id] });

    const undoRoles = await call<BulkPlanSummary>('jobs:undo-plan', {
      jobId: r.job.id,
      planId: nextPlanId(),
    });
    expect(undoRoles.skipReasons).toEqual([{ note: 'its roles changed since the job', count: 1 }]);
    expect(undoRoles.roleNames).toEqual({ [role.id]: 'Auditor' });
    const ur = await finished((await call<JobSummary>('bulk:start', { planId: undoRoles.planId })).id);
    expect(ur).toMatchObject({ status: 'completed', undoOf: r.job.id });
    for (const id of ids) expect(t.emu.store.roleUsers.get(role.id)!.has(id), id).toBe(heldBefore.has(id));

    const undoMeta = await call<BulkPlanSummary>('jobs:undo-plan', { jobId: m.job.id, planId: nextPlanId() });
    expect(undoMeta.skipped).toBe(1);
    expect(undoMeta.skipReasons).toEqual([{ note: 'changed since the job', count: 1 }]);
    const skipped = await allItems(undoMeta.planId, 'skip');
    expect(skipped.map((i) => i.userId)).toEqual([editedElsewhere]);
    expect(skipped[0]!.note).toMatch(/^changed since the job \(updated \d{4}-/);
    const um = await finished((await call<JobSummary>('bulk:start', { planId: undoMeta.planId })).id);
    expect(um.counts.done).toBe(ids.length - 1);
    for (const id of ids.slice(1))
      expect(t.emu.store.users.get(id)!.app_metadata ?? {}, id).toEqual(original.get(id));
    // The user edited elsewhere keeps that edit.
    expect(t.emu.store.users.get(editedElsewhere)!.app_metadata?.department).toBe('support');
  });

  it('says before running when a change can\u2019t be undone, and offers the users as JSON before a delete', async () => {
    const victims = db().slice(1100, 1103);
    const p = await plan({ kind: 'users', userIds: victims.map((u) => u.user_id) }, { kind: 'delete' });
    expect(p).toMatchObject({ destructive: true, undoable: false });
    expect(p.warnings[0]!.message).toMatch(/can\u2019t be undone: save the users as JSON first/);
    const saved = await call<{ id: string }>('bulk:save-users', { planId: p.planId });
    const json = JSON.parse(readFileSync(app.downloads.get(saved.id).path, 'utf8')) as User[];
    expect(json.map((u) => u.user_id)).toEqual(victims.map((u) => u.user_id));
    expect(json[0]).toMatchObject({ email: victims[0]!.email, identities: victims[0]!.identities });
    const job = await finished((await call<JobSummary>('bulk:start', { planId: p.planId })).id);
    expect(job.counts.done).toBe(3);
    expect(victims.every((u) => !t.emu.store.users.has(u.user_id))).toBe(true);
    expect(await fails('jobs:undo-plan', { jobId: job.id, planId: nextPlanId() })).toMatchObject({
      code: 'validation',
      message: expect.stringContaining('can\u2019t be undone'),
    });
  });
});
