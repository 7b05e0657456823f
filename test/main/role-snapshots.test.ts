// Snapshots with each user's roles — Auth0's users export carries none, so they are read from every role's members by
// checkpoint — kept as `roles: { <name>: true }`; a compare of a snapshot before and after says who gained or lost a
// role (the first question of an access review), one path per role.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type {
  CompareItem,
  CompareSummary,
  ExportStatus,
  TaskSummary,
  TenantProfile,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { membershipChanges } from '../../renderer/src/features/snapshots/memberships.js';
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
  const exportId = `role-snap-${String(++n).padStart(4, '0')}`;
  await call('exports:start', { tenantId: tenant.id, exportId, ...payload });
  for (;;) {
    const s = await call<TaskSummary>('tasks:get', { taskId: exportId });
    if (s.status !== 'running') return (s.detail as { export: ExportStatus }).export;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  t = await startTestTenant({ users: 400, seed: 'role-snapshots' });
  app = await createApp({
    dataDir: mkdtempSync(join(tmpdir(), 'td-role-snap-')),
    host: 'browser',
    version: 'test',
    vault: new SessionVault(),
    resumeLocalTenant: false,
  });
  tenant = await call<TenantProfile>('tenants:add', t.sessionProfile('Roles', 'staging', '#123456'));
}, 60_000);
afterAll(async () => {
  await app?.close();
  await t?.close();
});

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
