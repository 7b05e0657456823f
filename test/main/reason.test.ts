// A reason on every write: any write to a tenant may carry one (a ticket, a note), kept in its audit entry and in
// each user's entry of a bulk job; a tenant set to require one refuses a write without it, in words, audited as
// refused, whatever the window sent — a single write, a role change, a bulk job's start, an import's start.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  reasonChannels,
  writeChannels,
  type AuditEntry,
  type BulkPlanSummary,
  type ImportPreview,
  type JobSummary,
  type Result,
  type TaskSummary,
  type TenantProfile,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let app: App;
let tenant: TenantProfile;
const invoke = (channel: string, input: unknown) =>
  app.router.invoke(channel, input) as Promise<Result<unknown>>;
async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await invoke(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.data as T;
}
const audit = () => call<AuditEntry[]>('audit:list', { tenantId: tenant.id, limit: 5000 });
const reason = { ticket: 'INC-4711', note: 'Compromised account, per the security desk' };

beforeAll(async () => {
  t = await startTestTenant({ users: 30, seed: 'reason' });
  app = await createApp({
    dataDir: mkdtempSync(join(tmpdir(), 'td-reason-')),
    host: 'browser',
    version: 'test',
    vault: new SessionVault(),
    resumeLocalTenant: false,
  });
  tenant = await call<TenantProfile>('tenants:add', t.sessionProfile('Reasoned', 'staging', '#123456'));
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('a reason on every write', () => {
  it('every write to a tenant takes one; the console’s own profile channels do not', () => {
    expect(reasonChannels.length).toBeGreaterThan(20);
    for (const c of writeChannels) expect(reasonChannels.includes(c), c).toBe(!c.startsWith('tenants:'));
  });

  it('is optional by default and kept in the audit entry when given; a bad one is refused in words', async () => {
    const user = [...t.emu.store.users.values()][0]!;
    await call('users:set-blocked', { tenantId: tenant.id, userId: user.user_id, blocked: true, reason });
    await call('users:set-blocked', { tenantId: tenant.id, userId: user.user_id, blocked: false });
    const [unblocked, blocked] = (await audit()).filter((e) => e.target === user.user_id);
    expect(blocked).toMatchObject({ action: 'user.block', outcome: 'success', reason });
    expect(unblocked!.reason).toBeUndefined();
    const bad = await invoke('users:set-blocked', {
      tenantId: tenant.id,
      userId: user.user_id,
      blocked: true,
      reason: { note: 'x'.repeat(501) },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
    if (!bad.ok) expect(bad.error.message).toContain('reason.note: A note is at most 500 characters.');
    // The profile channels keep their strict inputs.
    const profile = await invoke('tenants:update', { id: tenant.id, patch: { label: 'x' }, reason });
    expect(profile.ok).toBe(false);
  });

  it('once the tenant requires one, a write without it is refused and audited; with it, it goes', async () => {
    const updated = await call<TenantProfile>('tenants:update', {
      id: tenant.id,
      patch: { requireReason: true },
    });
    expect(updated.requireReason).toBe(true);
    tenant = updated;
    const user = [...t.emu.store.users.values()][1]!;
    t.emu.store.appliedWrites.clear();

    const single = {
      tenantId: tenant.id,
      userId: user.user_id,
      kind: 'app_metadata',
      changes: { reviewed: true },
      expectedUpdatedAt: user.updated_at,
    };
    const refused = await invoke('users:update-metadata', single);
    expect(refused).toMatchObject({ ok: false, error: { code: 'confirmation_required' } });
    if (!refused.ok)
      expect(refused.error.message).toBe(
        'This tenant asks for a reason on every write: give a ticket reference or a note.',
      );
    // An empty reason is no reason.
    expect((await invoke('users:update-metadata', { ...single, reason: { ticket: ' ', note: '' } })).ok).toBe(
      false,
    );
    const role = await invoke('roles:create', { tenantId: tenant.id, name: 'Reviewers' });
    expect(role).toMatchObject({ ok: false, error: { code: 'confirmation_required' } });
    expect(t.emu.store.appliedWrites.size).toBe(0);
    expect([...t.emu.store.roles.values()].some((r) => r.name === 'Reviewers')).toBe(false);
    const refusals = (await audit()).filter((e) => e.outcome === 'refused');
    expect(refusals.map((e) => e.action)).toEqual(
      expect.arrayContaining(['user.update-app-metadata', 'role.create']),
    );

    await call('users:update-metadata', { ...single, reason });
    await call('roles:create', { tenantId: tenant.id, name: 'Reviewers', reason: { ticket: 'CHG-12' } });
    expect(t.emu.store.appliedWrites.get(user.user_id)).toBe(1);
    const entries = await audit();
    expect(
      entries.find((e) => e.action === 'user.update-app-metadata' && e.outcome === 'success'),
    ).toMatchObject({
      reason,
    });
    expect(entries.find((e) => e.action === 'role.create' && e.outcome === 'success')).toMatchObject({
      reason: { ticket: 'CHG-12' },
    });
    // The audit CSV carries it, in columns added at the end.
    const file = await call<{ id: string }>('audit:export-csv', { tenantId: tenant.id });
    const csv = readFileSync(app.downloads.get(file.id).path, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/,audit_id,reason_ticket,reason_note,via$/);
    expect(csv).toContain('INC-4711,"Compromised account, per the security desk"');
  });

  it('a bulk job and an import are refused at their start without one; a job’s users carry its reason', async () => {
    const ids = [...t.emu.store.users.keys()].slice(2, 7);
    const plan = await call<BulkPlanSummary>('bulk:plan', {
      tenantId: tenant.id,
      planId: 'plan-reason-0001',
      source: { kind: 'users', userIds: ids },
      change: { kind: 'metadata', metadata: 'user_metadata', set: { reviewed: 'bulk' } },
    });
    expect(await invoke('bulk:start', { planId: plan.planId })).toMatchObject({
      ok: false,
      error: { code: 'confirmation_required' },
    });
    const job = await call<JobSummary>('bulk:start', { planId: plan.planId, reason });
    let s: TaskSummary;
    do s = await call<TaskSummary>('tasks:get', { taskId: job.id });
    while (s.status === 'running' && (await new Promise((r) => setTimeout(r, 50))) === undefined);
    expect((s.detail as { job: JobSummary }).job.counts.done).toBe(5);
    const ofJob = (await audit()).filter((e) => e.jobId === job.id);
    expect(ofJob.length).toBe(6); // the job's own entry and one per user
    expect(ofJob.every((e) => e.reason?.ticket === reason.ticket)).toBe(true);

    const csv = 'email,name\nreason.one@example.net,Reason One\n';
    const { uploadId } = await call<{ uploadId: string }>('uploads:begin', {
      name: 'people.csv',
      bytes: csv.length,
    });
    await call('uploads:chunk', { uploadId, offset: 0, data: Buffer.from(csv).toString('base64') });
    await call('uploads:finish', { uploadId });
    const connection = (
      await call<{ id: string; name: string }[]>('connections:list', { tenantId: tenant.id })
    ).find((c) => c.name === 'Username-Password-Authentication')!;
    const preview = await call<ImportPreview>('imports:prepare', {
      tenantId: tenant.id,
      importId: 'imp_0123456789abcdef',
      uploadId,
      fileName: 'people.csv',
      connectionId: connection.id,
    });
    expect(preview.errorCount).toBe(0);
    expect(await invoke('imports:start', { importId: preview.importId })).toMatchObject({
      ok: false,
      error: { code: 'confirmation_required' },
    });
    expect((await invoke('imports:start', { importId: preview.importId, reason })).ok).toBe(true);
  }, 60_000);
});
