// Resource servers (APIs) and role permissions across them, as real tenants answer (recordings in auth0/go-auth0
// and auth0/terraform-provider-auth0 test/data/recordings).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../emulator/clients.js';
import { TenantStore, permissionKey } from '../../emulator/store.js';
import { sdkFailure as failure, startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let token: string;
beforeAll(async () => {
  t = await startTestTenant({ users: 30, seed: 'apis-test' });
  token = await t.token();
});
afterAll(async () => t?.close());

const REPORTS = 'https://reports.tenant-desk.local/';
const BILLING = 'https://billing.tenant-desk.local/';

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown; contentType: string | null }> {
  const res = await t.fetch(`${t.emu.url}/api/v2${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as unknown) : undefined,
    contentType: res.headers.get('content-type'),
  };
}

describe('resource servers', () => {
  it('lists the system Management API first, then the custom APIs, with Auth0’s envelope', async () => {
    const all = await call('GET', '/resource-servers');
    expect(all.status).toBe(200);
    const list = all.body as Record<string, unknown>[];
    expect(list.map((r) => r.identifier)).toEqual([t.emu.audience, REPORTS, BILLING]);
    expect(list[0]).toMatchObject({
      name: 'Auth0 Management API',
      identifier: t.emu.audience,
      is_system: true,
      token_lifetime: 86400,
      token_lifetime_for_web: 7200,
      signing_alg: 'RS256',
      allow_offline_access: false,
      skip_consent_for_verifiable_first_party_clients: false,
    });
    expect((list[0]!.scopes as { value: string }[]).map((s) => s.value)).toEqual(
      expect.arrayContaining(['read:users', 'read:resource_servers', 'create:role_members']),
    );
    expect(list[1]!.id).toMatch(/^[0-9a-f]{24}$/);

    // include_totals: totals first (go-auth0 TestResourceServer_List); fields and identifiers filter.
    const filtered = await call(
      'GET',
      `/resource-servers?include_totals=true&fields=id,identifier&include_fields=true&identifiers=${encodeURIComponent(BILLING)}`,
    );
    expect(filtered.body).toEqual({
      total: 1,
      start: 0,
      limit: 50,
      resource_servers: [{ id: list[2]!.id, identifier: BILLING }],
    });
    expect(Object.keys(filtered.body as object)).toEqual(['total', 'start', 'limit', 'resource_servers']);
    const paged = await call('GET', '/resource-servers?per_page=2&page=1');
    expect((paged.body as { identifier: string }[]).map((r) => r.identifier)).toEqual([BILLING]);

    // The SDK pages through them too.
    const seen: string[] = [];
    for await (const rs of await t.client().resourceServers.list({ per_page: 1 })) seen.push(rs.identifier!);
    expect(seen).toEqual([t.emu.audience, REPORTS, BILLING]);
  });

  it('reads an API by id or by identifier, encoded once or twice; 404 with Auth0’s body', async () => {
    const byIdentifier = await call('GET', `/resource-servers/${encodeURIComponent(REPORTS)}`);
    expect(byIdentifier.status).toBe(200);
    const reports = byIdentifier.body as { id: string; name: string };
    expect(reports.name).toBe('Reports API');
    expect((await call('GET', `/resource-servers/${reports.id}`)).body).toEqual(byIdentifier.body);
    const twice = await call('GET', `/resource-servers/${encodeURIComponent(encodeURIComponent(REPORTS))}`);
    expect(twice.body).toEqual(byIdentifier.body);
    const system = await call('GET', `/resource-servers/${encodeURIComponent(t.emu.audience)}`);
    expect(system.body).toMatchObject({ is_system: true, name: 'Auth0 Management API' });
    // terraform-provider-auth0 TestAccDataSourceResourceServer.yaml
    expect(await call('GET', '/resource-servers/this-resource-server-does-not-exist')).toMatchObject({
      status: 404,
      body: {
        statusCode: 404,
        error: 'Not Found',
        message: 'The resource server does not exist',
        errorCode: 'inexistent_resource_server',
      },
    });
  });

  it('creates (201, Auth0’s defaults), updates (200, scopes replaced), refuses identifier changes, deletes (204)', async () => {
    // terraform-provider-auth0 TestAccResourceServer.yaml: only an identifier → no name, no scopes, defaults.
    const bare = await call('POST', '/resource-servers', { identifier: 'https://bare.example/' });
    expect(bare.status).toBe(201);
    const { id, ...rest } = bare.body as Record<string, unknown>;
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(rest).toEqual({
      identifier: 'https://bare.example/',
      allow_offline_access: false,
      skip_consent_for_verifiable_first_party_clients: false,
      subject_type_authorization: {
        client: { policy: 'require_client_grant' },
        user: { policy: 'allow_all' },
      },
      token_lifetime: 86400,
      token_lifetime_for_web: 7200,
      signing_alg: 'RS256',
    });

    const c = t.client();
    const created = await c.resourceServers.create({
      name: 'Orders API',
      identifier: 'https://orders.example/',
      scopes: [{ value: 'read:orders', description: 'Read orders' }],
      token_lifetime: 7200,
    });
    expect(created).toMatchObject({ name: 'Orders API', token_lifetime: 7200, signing_alg: 'RS256' });
    const dup = await failure(c.resourceServers.create({ identifier: 'https://orders.example/' }));
    expect(dup.statusCode).toBe(409);
    const sysDup = await call('POST', '/resource-servers', { identifier: t.emu.audience });
    expect(sysDup.status).toBe(409);

    const updated = await c.resourceServers.update(created.id!, {
      scopes: [{ value: 'write:orders', description: 'Write orders' }],
      allow_offline_access: true,
    });
    expect(updated.scopes).toEqual([{ value: 'write:orders', description: 'Write orders' }]);
    expect(updated.allow_offline_access).toBe(true);
    expect(updated.identifier).toBe('https://orders.example/');

    const renamed = await call('PATCH', `/resource-servers/${created.id}`, {
      identifier: 'https://x.example/',
    });
    expect(renamed).toMatchObject({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: "Payload validation error: 'Additional properties not allowed: identifier'.",
        errorCode: 'invalid_body',
      },
    });
    const badAlg = await call('POST', '/resource-servers', {
      identifier: 'https://alg.example/',
      signing_alg: 'none',
    });
    expect(badAlg.status).toBe(400);
    expect((badAlg.body as { message: string }).message).toContain('signing_alg');

    // Deleting answers 204, and again 204 once it is gone (go-auth0 TestResourceServer_Delete).
    expect((await call('DELETE', `/resource-servers/${created.id}`)).status).toBe(204);
    expect((await call('DELETE', `/resource-servers/${created.id}`)).status).toBe(204);
    expect((await call('GET', `/resource-servers/${created.id}`)).status).toBe(404);
    expect(
      (await call('DELETE', `/resource-servers/${encodeURIComponent('https://bare.example/')}`)).status,
    ).toBe(204);
  });

  it('keeps the system API: only its token settings change, it cannot be deleted', async () => {
    const id = encodeURIComponent(t.emu.audience);
    const ok = await call('PATCH', `/resource-servers/${id}`, { token_lifetime: 3600 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ is_system: true, token_lifetime: 3600, identifier: t.emu.audience });
    expect((await call('PATCH', `/resource-servers/${id}`, { name: 'Mine now' })).status).toBe(400);
    expect((await call('DELETE', `/resource-servers/${id}`)).status).toBe(400);
    expect((await call('GET', `/resource-servers/${id}`)).body).toMatchObject({
      name: 'Auth0 Management API',
    });
    await call('PATCH', `/resource-servers/${id}`, { token_lifetime: 86400 });
  });

  it('answers each route with Auth0’s scope error to a grant without it', async () => {
    const support = await failure(t.client('support-desk').resourceServers.list());
    expect(support.body).toMatchObject({
      statusCode: 403,
      message: 'Insufficient scope, expected any of: read:resource_servers',
      errorCode: 'insufficient_scope',
    });
    expect(t.emu.scopeRules.get('POST /resource-servers')).toEqual({ any: ['create:resource_servers'] });
    expect(t.emu.scopeRules.get('PATCH /resource-servers/:id')).toEqual({ any: ['update:resource_servers'] });
    expect(t.emu.scopeRules.get('DELETE /resource-servers/:id')).toEqual({
      any: ['delete:resource_servers'],
    });
    const admin = t.emu.clients.find((c) => c.name === 'admin')!;
    for (const s of ['read', 'create', 'update', 'delete'])
      expect(admin.scopes).toContain(`${s}:resource_servers`);
  });
});

describe('role permissions across APIs', () => {
  it('keeps the same scope name of two APIs apart, and reports Auth0’s errors for unknown APIs and scopes', async () => {
    const c = t.client();
    const role = await c.roles.create({ name: 'Two APIs' });
    const add = await call('POST', `/roles/${role.id}/permissions`, {
      permissions: [
        { resource_server_identifier: REPORTS, permission_name: 'read:reports' },
        { resource_server_identifier: BILLING, permission_name: 'read:reports' },
        { resource_server_identifier: t.emu.audience, permission_name: 'read:users' },
      ],
    });
    // 201 with an empty object (go-auth0 TestRoleManager_Permissions).
    expect(add).toMatchObject({ status: 201, body: {} });
    const perms = await c.roles.permissions.list(role.id!);
    expect(perms.data).toEqual([
      {
        permission_name: 'read:reports',
        description: 'Read reports',
        resource_server_name: 'Reports API',
        resource_server_identifier: REPORTS,
      },
      {
        permission_name: 'read:reports',
        description: 'Read billing reports',
        resource_server_name: 'Billing API',
        resource_server_identifier: BILLING,
      },
      {
        permission_name: 'read:users',
        description: 'Read Users',
        resource_server_name: 'Auth0 Management API',
        resource_server_identifier: t.emu.audience,
      },
    ]);

    const unknownApi = await call('POST', `/roles/${role.id}/permissions`, {
      permissions: [{ resource_server_identifier: 'https://nope.example/', permission_name: 'read:reports' }],
    });
    expect(unknownApi).toMatchObject({
      status: 404,
      body: { message: 'The resource server does not exist', errorCode: 'inexistent_resource_server' },
    });
    const unknownScope = await call('POST', `/roles/${role.id}/permissions`, {
      permissions: [{ resource_server_identifier: BILLING, permission_name: 'admin:reports' }],
    });
    expect(unknownScope.status).toBe(400);

    // Removing one API's permission leaves the other API's permission of the same name (204, no body).
    const removed = await call('DELETE', `/roles/${role.id}/permissions`, {
      permissions: [{ resource_server_identifier: BILLING, permission_name: 'read:reports' }],
    });
    expect(removed).toMatchObject({ status: 204, body: undefined });
    expect((await c.roles.permissions.list(role.id!)).data.map((p) => p.resource_server_identifier)).toEqual([
      REPORTS,
      t.emu.audience,
    ]);
  });

  it('lists a user’s permissions from every role with their sources', async () => {
    const c = t.client();
    const user = [...t.emu.store.users.values()][0]!;
    const a = await c.roles.create({ name: 'Invoices A' });
    const b = await c.roles.create({ name: 'Invoices B' });
    for (const r of [a, b])
      await c.roles.permissions.add(r.id!, {
        permissions: [{ resource_server_identifier: BILLING, permission_name: 'read:invoices' }],
      });
    for (const r of t.emu.store.rolesOfUser(user.user_id))
      await c.users.roles.delete(user.user_id, { roles: [r.id] });
    await c.users.roles.assign(user.user_id, { roles: [a.id!, b.id!] });
    const got = await call(
      'GET',
      `/users/${encodeURIComponent(user.user_id)}/permissions?include_totals=true`,
    );
    expect(got.body).toEqual({
      permissions: [
        {
          permission_name: 'read:invoices',
          description: 'Read invoices',
          resource_server_name: 'Billing API',
          resource_server_identifier: BILLING,
          sources: [
            { source_id: a.id, source_name: 'Invoices A', source_type: 'ROLE' },
            { source_id: b.id, source_name: 'Invoices B', source_type: 'ROLE' },
          ],
        },
      ],
      start: 0,
      limit: 50,
      total: 1,
    });
  });

  it('takes a scope removed from an API, or a deleted API, off every role', async () => {
    const c = t.client();
    const api = await c.resourceServers.create({
      name: 'Short-lived API',
      identifier: 'https://short.example/',
      scopes: [
        { value: 'a:x', description: 'A' },
        { value: 'b:x', description: 'B' },
      ],
    });
    const role = await c.roles.create({ name: 'Short-lived role' });
    await c.roles.permissions.add(role.id!, {
      permissions: [
        { resource_server_identifier: 'https://short.example/', permission_name: 'a:x' },
        { resource_server_identifier: 'https://short.example/', permission_name: 'b:x' },
      ],
    });
    await c.resourceServers.update(api.id!, { scopes: [{ value: 'b:x', description: 'B' }] });
    expect((await c.roles.permissions.list(role.id!)).data.map((p) => p.permission_name)).toEqual(['b:x']);
    await c.resourceServers.delete(api.id!);
    expect((await c.roles.permissions.list(role.id!)).data).toEqual([]);
  });
});

describe('data files', () => {
  it('loads a data file written before several APIs existed, and keeps the new shape through the journal', async () => {
    // An old snapshot: one `resourceServer`, role permissions as bare names.
    const store = new TenantStore();
    const snapshot = store.snapshot() as unknown as Record<string, unknown>;
    delete snapshot.resourceServers;
    // Its clients hold the grant of that time (no resource-server writes).
    const clients = createClients().map((c) => ({
      ...c,
      scopes: c.scopes.filter((s) => !/^(create|update|delete):resource_servers$/.test(s)),
    }));
    const old = {
      ...snapshot,
      clients,
      roles: [{ id: 'rol_0123456789abcdef', name: 'Old role', description: '' }],
      roleUsers: { rol_0123456789abcdef: [] },
      rolePermissions: { rol_0123456789abcdef: ['read:reports', 'admin:reports'] },
      resourceServer: {
        id: 'rs_legacyLEGACY1234',
        name: 'Reports API',
        identifier: REPORTS,
        scopes: [
          { value: 'read:reports', description: 'Read reports' },
          { value: 'admin:reports', description: 'Administer reports' },
        ],
      },
    };
    const dir = mkdtempSync(join(tmpdir(), 'tenant-apis-'));
    const dataFile = join(dir, 'tenant.json');
    writeFileSync(dataFile, JSON.stringify(old));
    // Its journal, also old: a later change to the role's permissions.
    writeFileSync(
      `${dataFile}.journal`,
      `${JSON.stringify({ t: 'rolePermissions', k: 'rol_0123456789abcdef', v: ['read:reports'] })}\n`,
    );
    try {
      const t2 = await startTestTenant({ dataFile, users: 0 });
      try {
        const apis = (await t2.client().resourceServers.list()).data;
        expect(apis.map((a) => a.identifier)).toEqual([t2.emu.audience, REPORTS]);
        expect(apis[1]).toMatchObject({
          id: 'rs_legacyLEGACY1234',
          token_lifetime: 86400,
          signing_alg: 'RS256',
        });
        const perms = await t2.client().roles.permissions.list('rol_0123456789abcdef');
        expect(perms.data).toEqual([
          {
            permission_name: 'read:reports',
            description: 'Read reports',
            resource_server_name: 'Reports API',
            resource_server_identifier: REPORTS,
          },
        ]);
        // The full-access client of an old data file gets the scopes added since.
        expect(t2.emu.clients.find((c) => c.name === 'admin')?.scopes).toContain('delete:resource_servers');
        await t2.client().resourceServers.create({ identifier: 'https://new.example/', name: 'New' });
      } finally {
        await t2.close();
      }
      const saved = JSON.parse(readFileSync(dataFile, 'utf8')) as {
        resourceServers: { id: string; identifier: string; is_system?: boolean }[];
        rolePermissions: Record<string, string[]>;
        resourceServer?: unknown;
      };
      expect(saved.resourceServer).toBeUndefined();
      expect(saved.resourceServers.filter((r) => !r.is_system).map((r) => r.identifier)).toEqual([
        REPORTS,
        'https://new.example/',
      ]);
      expect(saved.rolePermissions.rol_0123456789abcdef).toEqual([
        permissionKey('rs_legacyLEGACY1234', 'read:reports'),
      ]);
      // And it loads again, with the same Management API id.
      const systemId = saved.resourceServers.find((r) => r.is_system)!.id;
      const t3 = await startTestTenant({ dataFile, users: 0 });
      try {
        const again = (await t3.client().resourceServers.list()).data;
        expect(again.map((a) => a.identifier)).toEqual([t3.emu.audience, REPORTS, 'https://new.example/']);
        expect(again[0]!.id).toBe(systemId);
      } finally {
        await t3.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
