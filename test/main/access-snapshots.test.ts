// Exports and snapshots with each user's access, which Auth0's users export doesn't carry: organizations (read from
// every organization's members, kept as `organizations: { <name>: { roles } }`) and roles (read from every role's
// members, kept as `roles: { <name>: true }`). A compare of a snapshot before and after says, path by path, who joined
// or left an organization, gained or lost an organization role, or gained or lost a role; a snapshot's search knows
// `roles:` as a field of Tenant Desk's own.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CompareItem,
  CompareSummary,
  ExportStatus,
  TaskSummary,
  TenantProfile,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { membershipChanges } from '../../preload/contract.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let app: App;
let tenant: TenantProfile;
let n = 0;

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const r = await app.router.invoke(channel, payload);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.data as T;
}
async function exportNow(payload: Record<string, unknown>): Promise<ExportStatus> {
  const exportId = `access-snap-${String(++n).padStart(4, '0')}`;
  await call('exports:start', { tenantId: tenant.id, exportId, ...payload });
  for (;;) {
    const s = await call<TaskSummary>('tasks:get', { taskId: exportId });
    if (s.status !== 'running') return (s.detail as { export: ExportStatus }).export;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  app = await createApp({
    dataDir: mkdtempSync(join(tmpdir(), 'td-access-snap-')),
    host: 'browser',
    version: 'test',
    vault: new SessionVault(),
    resumeLocalTenant: false,
  });
}, 60_000);
afterAll(async () => {
  await app?.close();
});

/** Each part on a local tenant of its own (its seed as the part needs it), added to the one app. */
function onTenant(seed: string, users: number, label: string) {
  beforeAll(async () => {
    t = await startTestTenant({ users, seed });
    tenant = await call<TenantProfile>('tenants:add', t.sessionProfile(label, 'staging', '#123456'));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });
}

describe('organizations', () => {
  onTenant('org-snapshots', 300, 'Orgs');

  it('exports each user with their organizations and organization roles, and compares snapshots by them', async () => {
    const store = t.emu.store;
    const acme = [...store.organizations.values()].find((o) => o.name === 'acme')!;
    const globex = [...store.organizations.values()].find((o) => o.name === 'globex')!;
    const admin = [...store.roles.values()].find((r) => r.name === 'Admin')!;
    const inAcme = [...store.orgMembers.get(acme.id)!];

    const first = await exportNow({
      source: { kind: 'tenant' },
      format: 'ndjson',
      fields: [{ name: 'user_id' }, { name: 'email' }],
      keepSnapshot: true,
      includeOrganizations: true,
    });
    expect(first.phase).toBe('completed');
    const lines = readFileSync(app.downloads.get(first.file!.id).path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { user_id: string; organizations: Record<string, { roles: string[] }> });
    expect(lines).toHaveLength(store.users.size);
    const one = lines.find((l) => l.user_id === inAcme[0])!;
    expect(Object.keys(one.organizations)).toContain('acme');
    const lonely = lines.find((l) => ![...store.orgMembers.values()].some((m) => m.has(l.user_id)))!;
    expect(lonely.organizations).toEqual({});

    // Between the two snapshots: one user joins globex, one leaves acme, one gains Admin in acme.
    const joiner = lonely.user_id;
    const [leaver, promoted] = inAcme.filter((u) => !store.orgMemberRoles.get(`${acme.id}|${u}`)?.size);
    await t.client().organizations.members.create(globex.id, { members: [joiner] });
    await t.client().organizations.members.delete(acme.id, { members: [leaver!] });
    await t.client().organizations.members.roles.assign(acme.id, promoted!, { roles: [admin.id] });

    const second = await exportNow({
      source: { kind: 'tenant' },
      format: 'ndjson',
      fields: [{ name: 'user_id' }],
      keepSnapshot: true,
      includeOrganizations: true,
    });
    const c = await call<CompareSummary>('snapshots:compare', {
      before: first.snapshot!.id,
      after: second.snapshot!.id,
    });
    expect(c).toMatchObject({ added: 0, removed: 0, changed: 3 });
    expect(c.fields).toEqual(
      expect.arrayContaining([
        { field: 'organizations.globex.roles', count: 1 },
        { field: 'organizations.acme.roles', count: 2 },
      ]),
    );
    const items = await call<{ items: CompareItem[] }>('snapshots:compare-items', {
      compareId: c.compareId,
      kind: 'changed',
    });
    const words = new Map(items.items.map((i) => [i.userId, membershipChanges(i.fields, i.before, i.after)]));
    expect(words.get(joiner)).toEqual(['joined globex']);
    expect(words.get(leaver!)).toEqual(['left acme']);
    expect(words.get(promoted!)).toEqual(['gained Admin in acme']);
  }, 120_000);

  it('writes the organizations as a column of a CSV', async () => {
    const s = await exportNow({
      source: { kind: 'query', q: 'email:*@acme.example' },
      format: 'csv',
      fields: [{ name: 'user_id' }],
      includeOrganizations: true,
    });
    const csv = readFileSync(app.downloads.get(s.file!.id).path, 'utf8');
    expect(csv.split('\n')[0]).toBe('user_id,organizations');
    expect(csv).toMatch(/"{""acme"":{""roles"":\[/);
  });
});

describe('roles', () => {
  onTenant('role-snapshots', 400, 'Roles');

  it('keeps each user’s roles from the roles’ members, and a compare says who gained or lost one', async () => {
    const store = t.emu.store;
    const admin = [...store.roles.values()].find((r) => r.name === 'Admin')!;
    const holdersOf = (roleId: string) => store.roleUsers.get(roleId) ?? new Set<string>();
    const first = await exportNow({
      source: { kind: 'tenant' },
      format: 'ndjson',
      fields: [{ name: 'user_id' }],
      keepSnapshot: true,
      includeRoles: true,
    });
    expect(first.phase).toBe('completed');
    const lines = readFileSync(app.downloads.get(first.file!.id).path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { user_id: string; roles: Record<string, true> });
    // Every user's roles as the tenant's role members say.
    for (const line of lines) {
      const expected = [...store.roles.values()]
        .filter((r) => holdersOf(r.id).has(line.user_id))
        .map((r) => r.name)
        .sort();
      expect(Object.keys(line.roles).sort(), line.user_id).toEqual(expected);
    }
    expect(lines.filter((l) => l.roles.Admin).length).toBe(holdersOf(admin.id).size);
    // `roles:` is Tenant Desk's own field, offline only: the snapshot answers it; a live search (Auth0's syntax) doesn't.
    const found = await call<{ total: number; users: { user_id: string }[] }>('snapshots:search', {
      snapshotId: first.snapshot!.id,
      q: 'roles:Admin',
      page: 0,
      perPage: 100,
    });
    expect(found.total).toBe(holdersOf(admin.id).size);
    expect(found.users.map((u) => u.user_id).sort()).toEqual([...holdersOf(admin.id)].sort().slice(0, 100));
    const both = await call<{ total: number }>('snapshots:search', {
      snapshotId: first.snapshot!.id,
      q: 'roles:Admin AND NOT blocked:true',
      page: 0,
      perPage: 10,
    });
    expect(both.total).toBe([...holdersOf(admin.id)].filter((u) => !store.users.get(u)?.blocked).length);
    const live = await call<{ total: number }>('users:search', { tenantId: tenant.id, q: 'roles:Admin' });
    expect(live.total).toBe(0);

    // One user becomes an Admin, one Admin loses it.
    const newcomer = lines.find((l) => !l.roles.Admin)!.user_id;
    const demoted = [...holdersOf(admin.id)][0]!;
    await t.client().users.roles.assign(newcomer, { roles: [admin.id] });
    await t.client().users.roles.delete(demoted, { roles: [admin.id] });
    const second = await exportNow({
      source: { kind: 'tenant' },
      format: 'ndjson',
      fields: [{ name: 'user_id' }],
      keepSnapshot: true,
      includeRoles: true,
    });
    const c = await call<CompareSummary>('snapshots:compare', {
      before: first.snapshot!.id,
      after: second.snapshot!.id,
    });
    expect(c).toMatchObject({ changed: 2, added: 0, removed: 0 });
    expect(c.fields).toEqual([{ field: 'roles.Admin', count: 2 }]);
    const items = await call<{ items: CompareItem[] }>('snapshots:compare-items', {
      compareId: c.compareId,
      kind: 'changed',
      field: 'roles.Admin',
    });
    const words = new Map(items.items.map((i) => [i.userId, membershipChanges(i.fields, i.before, i.after)]));
    expect(words.get(newcomer)).toEqual(['gained role Admin']);
    expect(words.get(demoted)).toEqual(['lost role Admin']);
  }, 120_000);
});
