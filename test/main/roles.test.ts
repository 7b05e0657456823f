// Roles administration through the router against the local tenant: create, rename, describe and delete a role;
// members past 100 read by checkpoint and exported whole; permissions from the tenant's APIs added and removed;
// bad input refused before anything is sent; the production guard and the audit on every write.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AuditEntry,
  DownloadRef,
  ResourceServerSummary,
  RoleDetail,
  RoleMember,
  RoleSummary,
  TenantProfile,
  UserSearchResult,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { routerCall, routerFailure } from '../support/router.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let app: App;
let dev: TenantProfile;
let prod: TenantProfile;
const dataDir = mkdtempSync(join(tmpdir(), 'td-roles-'));

const call = <T>(channel: string, payload: unknown) => routerCall<T>(app, channel, payload);
const failure = (channel: string, payload: unknown) => routerFailure(app, channel, payload);

beforeAll(async () => {
  t = await startTestTenant({ users: 400, seed: 'roles-admin' });
  app = await createApp({ dataDir, host: 'browser', version: 'test', vault: new SessionVault() });
  dev = await call<TenantProfile>('tenants:add', t.sessionProfile('Roles dev', 'development', '#6a1b9a'));
  prod = await call<TenantProfile>('tenants:add', t.sessionProfile('Roles prod', 'production', '#6a1b9a'));
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('roles administration', () => {
  let role: RoleSummary;

  it('creates a role, refuses a second of the same name, renames and describes it', async () => {
    role = await call<RoleSummary>('roles:create', {
      tenantId: dev.id,
      name: 'Support tier 2',
      description: 'Escalations',
    });
    expect(role).toMatchObject({ name: 'Support tier 2', description: 'Escalations' });
    expect((await t.client().roles.get(role.id)).name).toBe('Support tier 2');
    const dup = await failure('roles:create', { tenantId: dev.id, name: 'Support tier 2' });
    expect(dup.code).toBe('conflict');

    const renamed = await call<RoleSummary>('roles:update', {
      tenantId: dev.id,
      roleId: role.id,
      name: 'Support tier II',
      description: 'Escalations from tier 1',
    });
    expect(renamed).toMatchObject({
      id: role.id,
      name: 'Support tier II',
      description: 'Escalations from tier 1',
    });
    const listed = await call<{ roles: RoleSummary[]; total: number }>('roles:list', {
      tenantId: dev.id,
      nameFilter: 'tier ii',
    });
    expect(listed.roles.map((r) => r.id)).toEqual([role.id]);
    expect(listed.total).toBe(1);
  });

  it('refuses a bad name or an empty change in words, sending nothing', async () => {
    const before = (await t.client().roles.list({ per_page: 100 })).data.length;
    const empty = await failure('roles:create', { tenantId: dev.id, name: '   ' });
    expect(empty.code).toBe('validation');
    expect(JSON.stringify(empty.details)).toContain('A role needs a name.');
    const long = await failure('roles:create', { tenantId: dev.id, name: 'x'.repeat(51) });
    expect(JSON.stringify(long.details)).toContain('at most 50 characters');
    const nothing = await failure('roles:update', { tenantId: dev.id, roleId: role.id });
    expect(JSON.stringify(nothing.details)).toContain('Change the name or the description.');
    expect((await t.client().roles.list({ per_page: 100 })).data.length).toBe(before);
  });

  it('adds 300 members and reads them all back by checkpoint, past 100', async () => {
    const ids: string[] = [];
    for (let page = 0; page < 3; page++) {
      const r = await call<UserSearchResult>('users:search', { tenantId: dev.id, page, perPage: 100 });
      ids.push(...r.users.map((u) => u.user_id));
    }
    expect(ids).toHaveLength(300);
    await call('roles:add-members', { tenantId: dev.id, roleId: role.id, userIds: ids.slice(0, 150) });
    await call('roles:add-members', { tenantId: dev.id, roleId: role.id, userIds: ids.slice(150) });

    const seen: string[] = [];
    let from: string | undefined;
    let pages = 0;
    do {
      const page = await call<{ members: RoleMember[]; next: string | null }>('roles:members', {
        tenantId: dev.id,
        roleId: role.id,
        take: 100,
        ...(from ? { from } : {}),
      });
      seen.push(...page.members.map((m) => m.user_id));
      from = page.next ?? undefined;
      pages++;
    } while (from && pages < 10);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(300);
    expect([...seen].sort()).toEqual([...ids].sort());

    const detail = await call<RoleDetail>('roles:get', { tenantId: dev.id, roleId: role.id });
    expect(detail.memberCount).toBe(300);

    const file = await call<DownloadRef>('roles:export-members', { tenantId: dev.id, roleId: role.id });
    const rows = parse(readFileSync(app.downloads.get(file.id).path, 'utf8'), {
      columns: true,
      bom: true,
    }) as { user_id: string; email: string }[];
    expect(rows.map((r) => r.user_id).sort()).toEqual([...ids].sort());
  });

  it('removes members one audited write each', async () => {
    const page = await call<{ members: RoleMember[] }>('roles:members', {
      tenantId: dev.id,
      roleId: role.id,
      take: 2,
    });
    const gone = page.members.map((m) => m.user_id);
    const r = await call<{ removed: number; failed: unknown[] }>('roles:remove-members', {
      tenantId: dev.id,
      roleId: role.id,
      userIds: gone,
    });
    expect(r).toEqual({ removed: 2, failed: [] });
    for (const id of gone)
      expect((await t.client().users.roles.list(id)).data.map((x) => x.id)).not.toContain(role.id);
    expect((await call<RoleDetail>('roles:get', { tenantId: dev.id, roleId: role.id })).memberCount).toBe(
      298,
    );
    const audit = await call<AuditEntry[]>('audit:list', { tenantId: dev.id, action: 'user.remove-roles' });
    for (const id of gone) expect(audit.some((e) => e.target === id && e.outcome === 'success')).toBe(true);
  });

  it("gives and takes permissions from the tenant's APIs, refusing one that does not exist", async () => {
    const apis = await call<ResourceServerSummary[]>('resource-servers:list', { tenantId: dev.id });
    expect(apis.some((a) => a.isSystem)).toBe(true);
    const custom = apis.filter((a) => !a.isSystem && a.scopes.length >= 2);
    expect(custom.length).toBeGreaterThanOrEqual(1);
    const api = custom[0]!;
    const [s1, s2] = api.scopes;
    const after = await call<RoleDetail['permissions']>('roles:add-permissions', {
      tenantId: dev.id,
      roleId: role.id,
      permissions: [
        { resourceServer: api.identifier, name: s1!.value },
        { resourceServer: api.identifier, name: s2!.value },
      ],
    });
    expect(after.map((p) => p.name).sort()).toEqual([s1!.value, s2!.value].sort());
    expect(after[0]).toMatchObject({ resourceServer: api.identifier, resourceServerName: api.name });

    const bad = await failure('roles:add-permissions', {
      tenantId: dev.id,
      roleId: role.id,
      permissions: [{ resourceServer: api.identifier, name: 'no:such-scope' }],
    });
    expect(bad.message).toMatch(/no:such-scope/);

    const left = await call<RoleDetail['permissions']>('roles:remove-permissions', {
      tenantId: dev.id,
      roleId: role.id,
      permissions: [{ resourceServer: api.identifier, name: s1!.value }],
    });
    expect(left.map((p) => p.name)).toEqual([s2!.value]);
    const detail = await call<RoleDetail>('roles:get', { tenantId: dev.id, roleId: role.id });
    expect(detail.permissions.map((p) => p.name)).toEqual([s2!.value]);
  });

  it('deletes a role on production only with the domain typed back, and audits the refusal', async () => {
    const refused = await failure('roles:delete', {
      tenantId: prod.id,
      roleId: role.id,
      guard: { confirmed: true },
    });
    expect(refused.code).toBe('confirmation_required');
    expect((await t.client().roles.get(role.id)).id).toBe(role.id);
    await call('roles:delete', {
      tenantId: prod.id,
      roleId: role.id,
      guard: { confirmed: true, typedDomain: prod.domain },
    });
    const gone = await t
      .client()
      .roles.get(role.id)
      .then(
        () => 200,
        (e: unknown) => (e as { statusCode?: number }).statusCode,
      );
    expect(gone).toBe(404);
    const audit = await call<AuditEntry[]>('audit:list', { tenantId: prod.id, action: 'role.delete' });
    expect(audit.map((e) => e.outcome)).toEqual(expect.arrayContaining(['refused', 'success']));
    const done = audit.find((e) => e.outcome === 'success')!;
    expect(done.before).toMatchObject({ role: { id: role.id }, memberCount: 298 });
  });
});
