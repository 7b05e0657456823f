// Organizations on the local tenant: through the unmodified auth0 SDK, and at the HTTP level where go-auth0's
// recordings (TestOrganizationManager_*, TestUserManager_Organizations) fix the status, the envelope or the text.
// Also the per-scope rules, the per-user write count, the clean-ups (a user, a role, an organization deleted),
// persistence through the data file (and an older data file without organizations), and the seed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATIONS } from '../../emulator/clients.js';
import { seedTenant } from '../../emulator/seed.js';
import { orgMemberKey, TenantStore } from '../../emulator/store.js';
import { sdkFailure as failure, startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let token: string;
beforeAll(async () => {
  t = await startTestTenant({ users: 80, seed: 'organizations-test' });
  token = await t.token();
});
afterAll(async () => t?.close());

async function call(
  method: string,
  path: string,
  body?: unknown,
  as = token,
): Promise<{ status: number; body: unknown; text: string }> {
  const res = await t.fetch(`${t.emu.url}/api/v2${path}`, {
    method,
    headers: {
      authorization: `Bearer ${as}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, text };
}

const enc = encodeURIComponent;
let counter = 0;
const orgName = () => `test-organization${++counter}`;
const newOrg = async (extra: Record<string, unknown> = {}) =>
  (
    await call('POST', '/organizations', {
      name: orgName(),
      display_name: 'Test Organization',
      branding: { logo_url: 'https://example.com/logo.gif' },
      ...extra,
    })
  ).body as { id: string; name: string };
const users = (n: number, from = 0) =>
  [...t.emu.store.users.values()].slice(from, from + n).map((u) => u.user_id);
const dbConnection = () => t.emu.store.connectionByName('Username-Password-Authentication')!;
const samlConnection = () => t.emu.store.connectionByName('acme-saml')!;
const roleNamed = (name: string) => [...t.emu.store.roles.values()].find((r) => r.name === name)!;

describe('organizations (TestOrganizationManager_Create/Read/ReadByName/Update/Delete)', () => {
  it('creates (201, org_ + 16), reads by id and by name, updates, deletes (204), then 404 in Auth0’s words', async () => {
    const created = await call('POST', '/organizations', {
      name: 'test-organization914',
      display_name: 'Test Organization',
      branding: { logo_url: 'https://example.com/logo.gif' },
    });
    expect(created.status).toBe(201);
    const org = created.body as { id: string };
    expect(org.id).toMatch(/^org_[A-Za-z0-9]{16}$/);
    expect(Object.keys(created.body as object)).toEqual(['branding', 'id', 'display_name', 'name']);
    const read = await call('GET', `/organizations/${org.id}`);
    expect(read).toMatchObject({ status: 200 });
    expect(read.text).toBe(
      JSON.stringify({
        id: org.id,
        name: 'test-organization914',
        display_name: 'Test Organization',
        branding: { logo_url: 'https://example.com/logo.gif' },
      }),
    );
    expect((await call('GET', '/organizations/name/test-organization914')).body).toEqual(read.body);
    const updated = await call('PATCH', `/organizations/${org.id}`, {
      name: 'new-org-name',
      display_name: 'Test Organization',
    });
    expect(updated).toMatchObject({ status: 200, body: { id: org.id, name: 'new-org-name' } });
    expect(await call('DELETE', `/organizations/${org.id}`)).toMatchObject({ status: 204, text: '' });
    const gone = { statusCode: 404, error: 'Not Found', message: 'No organization found by that id or name' };
    // Without an errorCode, as recorded.
    expect((await call('GET', `/organizations/${org.id}`)).body).toEqual(gone);
    expect(await call('DELETE', `/organizations/${org.id}`)).toMatchObject({ status: 404, body: gone });
    expect(await call('GET', '/organizations/name/new-org-name')).toMatchObject({ status: 404, body: gone });
  });

  it('creates with enabled connections, answered with each connection’s name and strategy', async () => {
    const created = await call('POST', '/organizations', {
      name: orgName(),
      enabled_connections: [
        { connection_id: samlConnection().id, assign_membership_on_login: true, show_as_button: true },
        { connection_id: dbConnection().id, assign_membership_on_login: true, is_signup_enabled: true },
      ],
    });
    expect(created.status).toBe(201);
    expect((created.body as { enabled_connections: unknown }).enabled_connections).toEqual([
      {
        connection_id: samlConnection().id,
        assign_membership_on_login: true,
        show_as_button: true,
        connection: { name: 'acme-saml', strategy: 'samlp' },
      },
      {
        connection_id: dbConnection().id,
        assign_membership_on_login: true,
        is_signup_enabled: true,
        show_as_button: true,
        connection: { name: 'Username-Password-Authentication', strategy: 'auth0' },
      },
    ]);
  });

  it('refuses a duplicate name (409) and a bad name (400), in Auth0’s envelope', async () => {
    const org = await newOrg();
    const dup = await call('POST', '/organizations', { name: org.name });
    expect(dup).toMatchObject({ status: 409, body: { statusCode: 409, error: 'Conflict' } });
    const other = await newOrg();
    expect((await call('PATCH', `/organizations/${other.id}`, { name: org.name })).status).toBe(409);
    expect(await call('POST', '/organizations', { name: 'Not A Slug' })).toMatchObject({
      status: 400,
      body: {
        message:
          "Payload validation error: 'Object didn't pass validation for format organization-name: Not A Slug' on property name.",
        errorCode: 'invalid_body',
      },
    });
    expect(await call('POST', '/organizations', { display_name: 'x' })).toMatchObject({
      status: 400,
      body: { message: "Payload validation error: 'Missing required property: name'." },
    });
    expect(await call('POST', '/organizations', { name: 'x'.repeat(51) })).toMatchObject({
      status: 400,
      body: {
        message: "Payload validation error: 'String is too long (51 chars), maximum 50' on property name.",
      },
    });
    const sdk = await failure(t.client().organizations.create({ name: org.name }));
    expect(sdk.statusCode).toBe(409);
  });

  it('through the SDK: create, get, getByName, update, delete', async () => {
    const c = t.client();
    const org = await c.organizations.create({
      name: orgName(),
      display_name: 'SDK Org',
      metadata: { tier: 'gold' },
      branding: { colors: { primary: '#112233', page_background: '#ffffff' } },
    });
    expect(await c.organizations.get(org.id!)).toMatchObject({ id: org.id, metadata: { tier: 'gold' } });
    expect((await c.organizations.getByName(org.name!)).id).toBe(org.id);
    await c.organizations.update(org.id!, { display_name: 'Renamed' });
    expect((await c.organizations.get(org.id!)).display_name).toBe('Renamed');
    await c.organizations.delete(org.id!);
    expect((await failure(c.organizations.get(org.id!))).statusCode).toBe(404);
  });
});

describe('listing organizations (TestOrganizationManager_List/ListCheckpointPagination)', () => {
  it('pages by offset with totals, and by checkpoint: next while more follow', async () => {
    const all = [...t.emu.store.organizations.values()].map((o) => o.id);
    const offset = await call('GET', '/organizations?include_totals=true&per_page=2&page=1');
    expect(offset.body).toMatchObject({ start: 2, limit: 2, total: all.length });
    expect(Object.keys(offset.body as object)).toEqual(['organizations', 'start', 'limit', 'total']);
    expect((offset.body as { organizations: { id: string }[] }).organizations.map((o) => o.id)).toEqual(
      all.slice(2, 4),
    );
    const seen: string[] = [];
    let from: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await call(
        'GET',
        `/organizations?include_totals=true&per_page=50&take=2${from ? `&from=${from}` : ''}`,
      );
      const body = page.body as { organizations: { id: string }[]; next?: string };
      expect(Object.keys(body)).toEqual(body.next ? ['organizations', 'next'] : ['organizations']);
      seen.push(...body.organizations.map((o) => o.id));
      pages++;
      if (!body.next) break;
      from = body.next;
    }
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));
    // The SDK reads by checkpoint (include_totals, take, from) across every page.
    const listed: string[] = [];
    for await (const o of await t.client().organizations.list({ take: 3 })) listed.push(o.id!);
    expect(listed).toEqual(all);
  });
});

describe('members (TestOrganizationManager_AddMembers/DeleteMembers/Members/MembersCheckpointPagination)', () => {
  it('adds (204), lists by offset and by checkpoint in user-id order, removes (204)', async () => {
    const org = await newOrg();
    const ids = users(3, 10);
    expect(await call('POST', `/organizations/${org.id}/members`, { members: ids })).toMatchObject({
      status: 204,
      text: '',
    });
    const sorted = [...ids].sort();
    const offset = await call('GET', `/organizations/${org.id}/members?include_totals=true&per_page=50`);
    expect(offset.body).toMatchObject({ start: 0, limit: 50, total: 3 });
    const members = (offset.body as { members: Record<string, unknown>[] }).members;
    expect(members.map((m) => m.user_id)).toEqual(sorted);
    expect(Object.keys(members[0]!)).toEqual(['user_id', 'email', 'picture', 'name']);

    const q = 'include_totals=true&per_page=50&take=2';
    const first = (await call('GET', `/organizations/${org.id}/members?${q}`)).body as {
      members: { user_id: string }[];
      next: string;
    };
    expect(first.members.map((m) => m.user_id)).toEqual(sorted.slice(0, 2));
    expect(Object.keys(first)).toEqual(['members', 'next']);
    const second = (await call('GET', `/organizations/${org.id}/members?from=${first.next}&${q}`)).body as {
      members: { user_id: string }[];
      next: string;
    };
    expect(second.members.map((m) => m.user_id)).toEqual(sorted.slice(2));
    // As recorded: a non-empty last page still gives `next`; the page after it is empty, without one.
    expect(second.next).toBeTruthy();
    expect((await call('GET', `/organizations/${org.id}/members?from=${second.next}&${q}`)).body).toEqual({
      members: [],
    });

    const viaSdk: string[] = [];
    for await (const m of await t.client().organizations.members.list(org.id, { take: 1 }))
      viaSdk.push(m.user_id!);
    expect(viaSdk).toEqual(sorted);

    expect(await call('DELETE', `/organizations/${org.id}/members`, { members: ids })).toMatchObject({
      status: 204,
    });
    expect(
      (await call('GET', `/organizations/${org.id}/members?include_totals=true&per_page=50`)).body,
    ).toEqual({ members: [], start: 0, limit: 50, total: 0 });
  });

  it('lists members with their roles (fields=user_id,roles), and refuses unknown users', async () => {
    const org = await newOrg();
    const [a, b] = users(2, 20);
    const role = (await call('POST', '/roles', { name: 'org-member-role', description: 'Test Role' }))
      .body as {
      id: string;
      name: string;
    };
    // As recorded: roles may be given before the membership.
    expect(
      await call('POST', `/organizations/${org.id}/members/${enc(a!)}/roles`, { roles: [role.id] }),
    ).toMatchObject({ status: 204 });
    await t.client().organizations.members.create(org.id, { members: [a!, b!] });
    const listed = await call(
      'GET',
      `/organizations/${org.id}/members?fields=user_id%2Croles&include_fields=true&include_totals=true&per_page=50`,
    );
    const expected = [
      { user_id: a, roles: [{ id: role.id, name: 'org-member-role' }] },
      { user_id: b, roles: [] },
    ].sort((x, y) => x.user_id!.localeCompare(y.user_id!));
    expect(listed.body).toEqual({ members: expected, start: 0, limit: 50, total: 2 });
    expect(
      await call('POST', `/organizations/${org.id}/members`, { members: ['auth0|nobody'] }),
    ).toMatchObject({ status: 404 });
    expect(await call('POST', `/organizations/${org.id}/members`, { members: [] })).toMatchObject({
      status: 400,
      body: { message: "Payload validation error: 'Array is too short (0), minimum 1' on property members." },
    });
    expect((await call('GET', '/organizations/org_doesnotexist0000/members')).status).toBe(404);
  });

  it('member roles: add (204), list with totals, remove (204) (TestOrganizationManager_MemberRoles)', async () => {
    const org = await newOrg();
    const [user] = users(1, 30);
    await call('POST', `/organizations/${org.id}/members`, { members: [user] });
    const role = roleNamed('Auditor');
    const path = `/organizations/${org.id}/members/${enc(user!)}/roles`;
    expect(await call('POST', path, { roles: [role.id] })).toMatchObject({ status: 204, text: '' });
    expect((await call('GET', `${path}?include_totals=true&per_page=50`)).body).toEqual({
      roles: [{ id: role.id, name: role.name, description: role.description }],
      start: 0,
      limit: 50,
      total: 1,
    });
    const viaSdk = await t.client().organizations.members.roles.list(org.id, user!);
    expect(viaSdk.data.map((r) => r.id)).toEqual([role.id]);
    await t.client().organizations.members.roles.delete(org.id, user!, { roles: [role.id] });
    expect((await call('GET', `${path}?include_totals=true&per_page=50`)).body).toEqual({
      roles: [],
      start: 0,
      limit: 50,
      total: 0,
    });
    expect(await call('POST', path, { roles: ['rol_doesnotexist0000'] })).toMatchObject({ status: 404 });
  });

  it('counts member writes per user: each user written once', async () => {
    const org = await newOrg();
    const ids = users(3, 40);
    await t.fetch(`${t.emu.url}/__emulator/writes`, { method: 'DELETE' });
    await t.client().organizations.members.create(org.id, { members: ids });
    await t.client().organizations.members.roles.assign(org.id, ids[0]!, { roles: [roleNamed('Editor').id] });
    const writes = (await (await t.fetch(`${t.emu.url}/__emulator/writes`)).json()) as Record<string, number>;
    expect(writes).toEqual({ [ids[0]!]: 2, [ids[1]!]: 1, [ids[2]!]: 1 });
  });
});

describe('invitations (TestOrganizationManager_Invitations/Invitation/CreateInvitation/DeleteInvitation)', () => {
  it('creates (201, uinv_ + 16, 7 days), lists {invitations,start,limit}, gets, deletes (204), then 404', async () => {
    const org = await newOrg();
    const clientId = APPLICATIONS[0].client_id;
    const created = await call('POST', `/organizations/${org.id}/invitations`, {
      inviter: { name: 'Test Inviter' },
      invitee: { email: 'test@example.com' },
      client_id: clientId,
      send_invitation_email: false,
    });
    expect(created.status).toBe(201);
    const inv = created.body as Record<string, string>;
    expect(Object.keys(inv)).toEqual([
      'id',
      'client_id',
      'inviter',
      'invitee',
      'invitation_url',
      'ticket_id',
      'created_at',
      'expires_at',
      'organization_id',
    ]);
    expect(inv.id).toMatch(/^uinv_[A-Za-z0-9]{16}$/);
    expect(Date.parse(inv.expires_at!) - Date.parse(inv.created_at!)).toBe(604_800_000);
    const url = new URL(inv.invitation_url!);
    expect([...url.searchParams]).toEqual([
      ['invitation', inv.ticket_id],
      ['organization', org.id],
      ['organization_name', org.name],
    ]);
    const listed = await call('GET', `/organizations/${org.id}/invitations?include_totals=true&per_page=50`);
    expect(listed.body).toEqual({ invitations: [inv], start: 0, limit: 1 });
    expect((await call('GET', `/organizations/${org.id}/invitations/${inv.id}`)).body).toEqual(inv);
    expect(await call('DELETE', `/organizations/${org.id}/invitations/${inv.id}`)).toMatchObject({
      status: 204,
      text: '',
    });
    expect(await call('GET', `/organizations/${org.id}/invitations/${inv.id}`)).toMatchObject({
      status: 404,
      body: {
        statusCode: 404,
        error: 'Not Found',
        message: 'The invitation does not exist.',
        errorCode: 'inexistent_invitation',
      },
    });
  });

  it('through the SDK: roles, metadata and ttl; the invitation email lands in the outbox', async () => {
    const org = await newOrg();
    const c = t.client();
    const role = roleNamed('Developer');
    const inv = await c.organizations.invitations.create(org.id, {
      inviter: { name: 'Ada' },
      invitee: { email: 'invitee.one@example.org' },
      client_id: APPLICATIONS[1].client_id,
      connection_id: dbConnection().id,
      roles: [role.id],
      app_metadata: { seat: 'a1' },
      ttl_sec: 3600,
    });
    expect(inv).toMatchObject({
      roles: [role.id],
      connection_id: dbConnection().id,
      app_metadata: { seat: 'a1' },
    });
    expect(Date.parse(inv.expires_at!) - Date.parse(inv.created_at!)).toBe(3_600_000);
    const mail = (await (
      await t.fetch(`${t.emu.url}/__emulator/outbox?to=invitee.one@example.org`)
    ).json()) as {
      type: string;
      link: string;
    }[];
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ type: 'organization_invitation', link: inv.invitation_url });
    const listed = [];
    for await (const i of await c.organizations.invitations.list(org.id)) listed.push(i.id);
    expect(listed).toEqual([inv.id]);
    expect((await c.organizations.invitations.get(org.id, inv.id!)).id).toBe(inv.id);
    await c.organizations.invitations.delete(org.id, inv.id!);
    expect((await failure(c.organizations.invitations.get(org.id, inv.id!))).statusCode).toBe(404);
    // Over 30 days, an unknown client: refused.
    const base = { inviter: { name: 'A' }, invitee: { email: 'x@example.org' } };
    expect(
      await call('POST', `/organizations/${org.id}/invitations`, {
        ...base,
        client_id: APPLICATIONS[0].client_id,
        ttl_sec: 2_592_001,
      }),
    ).toMatchObject({
      status: 400,
      body: {
        message:
          "Payload validation error: 'Value 2592001 is greater than maximum 2592000' on property ttl_sec.",
      },
    });
    expect(
      (await call('POST', `/organizations/${org.id}/invitations`, { ...base, client_id: 'nope' })).status,
    ).toBe(404);
  });
});

describe('enabled connections (TestOrganizationManager_*Connection*)', () => {
  it('adds (201), lists {enabled_connections,start,limit,total}, gets, updates (200), deletes (204), then 404', async () => {
    const org = await newOrg();
    const saml = samlConnection();
    const added = await call('POST', `/organizations/${org.id}/enabled_connections`, {
      connection_id: saml.id,
      assign_membership_on_login: true,
      show_as_button: true,
    });
    const expected = {
      connection_id: saml.id,
      assign_membership_on_login: true,
      show_as_button: true,
      connection: { name: 'acme-saml', strategy: 'samlp' },
    };
    expect(added).toMatchObject({ status: 201, body: expected });
    expect(
      (await call('GET', `/organizations/${org.id}/enabled_connections?include_totals=true&per_page=50`))
        .body,
    ).toEqual({ enabled_connections: [expected], start: 0, limit: 1, total: 1 });
    const path = `/organizations/${org.id}/enabled_connections/${saml.id}`;
    expect((await call('GET', path)).body).toEqual(expected);
    const patched = await call('PATCH', path, { assign_membership_on_login: false, show_as_button: false });
    expect(patched).toMatchObject({
      status: 200,
      body: { ...expected, assign_membership_on_login: false, show_as_button: false },
    });
    expect(await call('DELETE', path)).toMatchObject({ status: 204, text: '' });
    expect(await call('GET', path)).toMatchObject({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'No connection found by that id' },
    });
  });

  it('database connections: sign-up only with membership on login (TestOrganizationManager_UpdateDBConnection)', async () => {
    const org = await newOrg();
    const c = t.client();
    const db = dbConnection();
    const added = await c.organizations.enabledConnections.add(org.id, {
      connection_id: db.id,
      assign_membership_on_login: true,
      is_signup_enabled: true,
    });
    expect(added).toEqual({
      connection_id: db.id,
      assign_membership_on_login: true,
      is_signup_enabled: true,
      show_as_button: true,
      connection: { name: 'Username-Password-Authentication', strategy: 'auth0' },
    });
    const path = `/organizations/${org.id}/enabled_connections/${db.id}`;
    expect(await call('PATCH', path, { assign_membership_on_login: false, is_signup_enabled: true })).toEqual(
      {
        status: 400,
        text: expect.any(String),
        body: {
          statusCode: 400,
          error: 'Bad Request',
          message:
            'Only database connections with assign_membership_on_login = true support is_signup_enabled = true.',
          errorCode: 'invalid_body',
        },
      },
    );
    await c.organizations.enabledConnections.update(org.id, db.id, {
      assign_membership_on_login: false,
      is_signup_enabled: false,
    });
    expect(await c.organizations.enabledConnections.get(org.id, db.id)).toMatchObject({
      assign_membership_on_login: false,
      is_signup_enabled: false,
      show_as_button: true,
    });
    const listed = [];
    for await (const x of await c.organizations.enabledConnections.list(org.id)) listed.push(x.connection_id);
    expect(listed).toEqual([db.id]);
    await c.organizations.enabledConnections.delete(org.id, db.id);
    expect((await failure(c.organizations.enabledConnections.get(org.id, db.id))).statusCode).toBe(404);
  });
});

describe('a user’s organizations (TestUserManager_Organizations)', () => {
  it('lists them with totals, in the recorded key order', async () => {
    const org = await newOrg();
    const [user] = users(1, 50);
    const before = t.emu.store.organizationsOfUser(user!).length;
    await call('POST', `/organizations/${org.id}/members`, { members: [user] });
    const listed = await call('GET', `/users/${enc(user!)}/organizations?include_totals=true&per_page=50`);
    const body = listed.body as { organizations: Record<string, unknown>[]; total: number };
    expect(body).toMatchObject({ start: 0, limit: 50, total: before + 1 });
    const mine = body.organizations.find((o) => o.id === org.id)!;
    expect(Object.keys(mine)).toEqual(['branding', 'id', 'display_name', 'name']);
    const viaSdk = await t.client().users.organizations.list(user!);
    expect(viaSdk.data.map((o) => o.id)).toContain(org.id);
    expect((await call('GET', '/users/auth0%7Cnobody/organizations')).status).toBe(404);
  });
});

describe('scopes', () => {
  it('asks each endpoint’s own scope: the support-desk grant has none of them', async () => {
    const desk = await t.token('support-desk');
    const org = [...t.emu.store.organizations.values()][0]!;
    const user = [...(t.emu.store.orgMembers.get(org.id) ?? [])][0]!;
    const cases: [string, string, unknown, string][] = [
      ['GET', '/organizations', undefined, 'read:organizations'],
      ['POST', '/organizations', { name: 'nope' }, 'create:organizations'],
      ['GET', `/organizations/${org.id}`, undefined, 'read:organizations'],
      ['PATCH', `/organizations/${org.id}`, {}, 'update:organizations'],
      ['DELETE', `/organizations/${org.id}`, undefined, 'delete:organizations'],
      ['GET', `/organizations/${org.id}/members`, undefined, 'read:organization_members'],
      ['POST', `/organizations/${org.id}/members`, { members: [user] }, 'create:organization_members'],
      ['DELETE', `/organizations/${org.id}/members`, { members: [user] }, 'delete:organization_members'],
      [
        'GET',
        `/organizations/${org.id}/members/${enc(user)}/roles`,
        undefined,
        'read:organization_member_roles',
      ],
      ['GET', `/organizations/${org.id}/invitations`, undefined, 'read:organization_invitations'],
      ['GET', `/organizations/${org.id}/enabled_connections`, undefined, 'read:organization_connections'],
      ['GET', `/users/${enc(user)}/organizations`, undefined, 'read:organizations'],
    ];
    for (const [method, path, body, scope] of cases)
      expect(await call(method, path, body, desk)).toMatchObject({
        status: 403,
        body: { message: `Insufficient scope, expected any of: ${scope}`, errorCode: 'insufficient_scope' },
      });
    expect((await failure(t.client('support-desk').organizations.get(org.id))).statusCode).toBe(403);
    const rules = t.emu.scopeRules;
    expect(rules.get('POST /organizations/:id/members/:user_id/roles')).toEqual({
      any: ['create:organization_member_roles'],
    });
    expect(rules.get('PATCH /organizations/:id/enabled_connections/:connection_id')).toEqual({
      any: ['update:organization_connections'],
    });
  });
});

describe('clean-ups', () => {
  it('a deleted user leaves their organizations and roles; a deleted role leaves member roles; a deleted org leaves nothing', async () => {
    const store = t.emu.store;
    const org = await newOrg();
    const [a, b] = users(2, 60);
    await call('POST', `/organizations/${org.id}/members`, { members: [a, b] });
    const role = (await call('POST', '/roles', { name: 'doomed-role' })).body as { id: string };
    const keep = roleNamed('Reviewer');
    await call('POST', `/organizations/${org.id}/members/${enc(b!)}/roles`, { roles: [role.id, keep.id] });
    await call('POST', `/organizations/${org.id}/members/${enc(a!)}/roles`, { roles: [keep.id] });
    await call('POST', `/organizations/${org.id}/enabled_connections`, { connection_id: dbConnection().id });
    await call('POST', `/organizations/${org.id}/invitations`, {
      inviter: { name: 'A' },
      invitee: { email: 'z@example.org' },
      client_id: APPLICATIONS[0].client_id,
      send_invitation_email: false,
    });
    await t.client().users.delete(a!);
    expect(store.orgMembers.get(org.id)!.has(a!)).toBe(false);
    expect(store.orgMemberRoles.has(orgMemberKey(org.id, a!))).toBe(false);
    await call('DELETE', `/roles/${role.id}`, {});
    expect([...store.orgMemberRoles.get(orgMemberKey(org.id, b!))!]).toEqual([keep.id]);
    await call('DELETE', `/organizations/${org.id}/members`, { members: [b] });
    expect(store.orgMemberRoles.has(orgMemberKey(org.id, b!))).toBe(false);
    await call('POST', `/organizations/${org.id}/members`, { members: [b] });
    await call('POST', `/organizations/${org.id}/members/${enc(b!)}/roles`, { roles: [keep.id] });
    await t.client().organizations.delete(org.id);
    expect(store.orgMembers.has(org.id)).toBe(false);
    expect(store.orgInvitations.has(org.id)).toBe(false);
    expect(store.orgConnections.has(org.id)).toBe(false);
    expect([...store.orgMemberRoles.keys()].some((k) => k.startsWith(`${org.id}|`))).toBe(false);
  });
});

describe('the data file', () => {
  it('keeps organizations through the journal and the snapshot, and loads a data file from before them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenant-orgs-'));
    const dataFile = join(dir, 'tenant.json');
    // A data file from before organizations: none of their tables.
    const old = new TenantStore();
    seedTenant(old, { users: 0, seed: 'old' });
    const snapshot = old.snapshot() as unknown as Record<string, unknown>;
    for (const k of ['organizations', 'orgMembers', 'orgMemberRoles', 'orgInvitations', 'orgConnections'])
      delete snapshot[k];
    writeFileSync(dataFile, JSON.stringify({ ...snapshot, clients: [] }));
    let orgId: string;
    let userId: string;
    const t2 = await startTestTenant({ dataFile, users: 0 });
    try {
      const c = t2.client();
      expect((await c.organizations.list()).data).toEqual([]);
      const user = await c.users.create({
        connection: 'Username-Password-Authentication',
        email: 'member@example.org',
        password: 'Correct-Horse-9',
      });
      userId = user.user_id!;
      const org = await c.organizations.create({ name: 'persisted', display_name: 'Persisted' });
      orgId = org.id!;
      await c.organizations.members.create(orgId, { members: [userId] });
      const role = [...t2.emu.store.roles.values()][0]!;
      await c.organizations.members.roles.assign(orgId, userId, { roles: [role.id] });
      await c.organizations.enabledConnections.add(orgId, {
        connection_id: t2.emu.store.connectionByName('Username-Password-Authentication')!.id,
      });
      await c.organizations.invitations.create(orgId, {
        inviter: { name: 'P' },
        invitee: { email: 'p@example.org' },
        client_id: APPLICATIONS[0].client_id,
        send_invitation_email: false,
      });
    } finally {
      await t2.close();
    }
    const saved = JSON.parse(readFileSync(dataFile, 'utf8')) as {
      organizations: { id: string }[];
      orgMembers: Record<string, string[]>;
      orgMemberRoles: Record<string, string[]>;
    };
    expect(saved.organizations.map((o) => o.id)).toEqual([orgId]);
    expect(saved.orgMembers[orgId]).toEqual([userId]);
    expect(Object.keys(saved.orgMemberRoles)).toEqual([orgMemberKey(orgId, userId)]);
    const t3 = await startTestTenant({ dataFile, users: 0 });
    try {
      const c = t3.client();
      expect((await c.organizations.get(orgId)).name).toBe('persisted');
      const members = [];
      for await (const m of await c.organizations.members.list(orgId, {
        fields: 'user_id,roles',
        include_fields: true,
      }))
        members.push(m);
      expect(members).toMatchObject([{ user_id: userId, roles: [{ id: expect.any(String) }] }]);
      expect((await c.organizations.invitations.list(orgId)).data).toHaveLength(1);
      expect((await c.organizations.enabledConnections.list(orgId)).data).toHaveLength(1);
      // A change journaled after the snapshot (then replayed at the next start).
      await c.organizations.members.delete(orgId, { members: [userId] });
    } finally {
      await t3.close();
    }
    const t4 = await startTestTenant({ dataFile, users: 0 });
    try {
      expect(t4.emu.store.orgMembers.get(orgId)!.size).toBe(0);
      expect(t4.emu.store.orgMemberRoles.size).toBe(0);
    } finally {
      await t4.close();
    }
  });
});

describe('the seed', () => {
  it('gives five organizations with members, org roles, the database connection and one invitation', () => {
    const store = t.emu.store;
    const orgs = [...store.organizations.values()].filter((o) => !o.name.startsWith('test-'));
    expect(orgs.slice(0, 5).map((o) => o.name)).toEqual(['acme', 'globex', 'initech', 'umbrella', 'stark']);
    const acme = orgs[0]!;
    expect(acme).toMatchObject({
      display_name: 'Acme Corporation',
      branding: { logo_url: expect.stringMatching(/^https:/), colors: { primary: expect.any(String) } },
      metadata: { plan: 'enterprise' },
    });
    const acmeMembers = [...store.orgMembers.get(acme.id)!];
    const acmeDomain = [...store.users.values()].filter((u) => u.email?.endsWith('@acme.example'));
    for (const u of acmeDomain.slice(0, 40)) expect(acmeMembers).toContain(u.user_id);
    const admin = roleNamed('Admin');
    const agent = roleNamed('Support Agent');
    for (const o of orgs.slice(0, 5)) {
      const sorted = [...store.orgMembers.get(o.id)!].sort();
      expect(sorted.length).toBeGreaterThanOrEqual(3);
      expect([...store.orgMemberRoles.get(orgMemberKey(o.id, sorted[0]!))!]).toEqual([admin.id]);
      expect([...store.orgMemberRoles.get(orgMemberKey(o.id, sorted[1]!))!]).toEqual([agent.id]);
      expect(store.orgConnections.get(o.id)![0]).toEqual({
        connection_id: dbConnection().id,
        assign_membership_on_login: false,
        is_signup_enabled: false,
        show_as_button: true,
      });
    }
    const invitations = orgs.flatMap((o) => store.orgInvitations.get(o.id) ?? []);
    expect(invitations).toHaveLength(1);
    expect(invitations[0]).toMatchObject({
      organization_id: orgs[1]!.id,
      invitee: { email: 'new.hire@globex.example' },
    });
    expect(Date.parse(invitations[0]!.expires_at)).toBeGreaterThan(Date.now());
  });

  it('is deterministic, from its own generator: the same seed gives the same organizations; no users, none', () => {
    const seeded = (users: number, seed: string) => {
      const store = new TenantStore();
      seedTenant(store, { users, seed, now: Date.UTC(2025, 0, 1) });
      return store;
    };
    const one = seeded(50, 'org-seed');
    const two = seeded(50, 'org-seed');
    expect(one.snapshot().organizations).toEqual(two.snapshot().organizations);
    expect(one.snapshot().orgMembers).toEqual(two.snapshot().orgMembers);
    expect(one.snapshot().orgMemberRoles).toEqual(two.snapshot().orgMemberRoles);
    expect(one.snapshot().orgInvitations).toEqual(two.snapshot().orgInvitations);
    const empty = seeded(0, 'org-seed');
    expect(empty.organizations.size).toBe(0);
    expect(empty.orgMembers.size).toBe(0);
    // The users of a seed are what they were before organizations existed (recorded from the seed before the change).
    expect([...one.users.keys()].slice(0, 5)).toEqual(FIRST_USERS_OF_ORG_SEED);
  });
});

// Recorded with the seed as it was before organizations (HEAD 2770e9d): users, roles, logs and sessions of seed
// 'org-seed' hashed the same before and after the change.
const FIRST_USERS_OF_ORG_SEED = [
  'auth0|a063304f9cc0e59c26c152eb',
  'google-oauth2|659244749458753791635',
  'github|82062489',
  'auth0|c1bcb1b8cb57f2becceba129',
  'google-oauth2|417677431034874097571',
];
