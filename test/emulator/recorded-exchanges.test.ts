// The local tenant answers as real tenants did in recorded exchanges (auth0/go-auth0 test/data/recordings, go-vcr):
// status codes, bodies and key order, endpoint by endpoint, at the HTTP level.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let token: string;
beforeAll(async () => {
  t = await startTestTenant({ users: 60, seed: 'recorded-test' });
  token = await t.token();
});
afterAll(async () => t?.close());

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown; text: string }> {
  const res = await t.fetch(`${t.emu.url}/api/v2${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, text };
}

const enc = encodeURIComponent;
const dbUsers = () =>
  [...t.emu.store.users.values()].filter(
    (u) => u.identities[0]?.connection === 'Username-Password-Authentication',
  );

describe('roles (TestRoleManager_*, TestUserManager_Roles)', () => {
  it('POST /roles 200, DELETE /roles/{id} 200 {}, then 404 without errorCode', async () => {
    const created = await call('POST', '/roles', { name: 'test-role', description: 'Test Role' });
    expect(created.status).toBe(200);
    const role = created.body as { id: string };
    expect(created.body).toEqual({ id: role.id, name: 'test-role', description: 'Test Role' });
    expect(Object.keys(created.body as object)).toEqual(['id', 'name', 'description']);
    expect(await call('DELETE', `/roles/${role.id}`, {})).toMatchObject({ status: 200, body: {} });
    const gone = { statusCode: 404, error: 'Not Found', message: 'The role does not exist.' };
    expect(await call('GET', `/roles/${role.id}`)).toMatchObject({ status: 404, body: gone });
    expect(await call('DELETE', `/roles/${role.id}`, {})).toMatchObject({ status: 404, body: gone });
  });

  it('POST /roles/{id}/users 200 {}; role users paged by user id, checkpoint winning over include_totals', async () => {
    const role = (await call('POST', '/roles', { name: 'paged-role' })).body as { id: string };
    const ids = dbUsers()
      .slice(0, 3)
      .map((u) => u.user_id);
    expect(await call('POST', `/roles/${role.id}/users`, { users: [...ids].reverse() })).toMatchObject({
      status: 200,
      body: {},
    });
    const first = await call('GET', `/roles/${role.id}/users?include_totals=true&per_page=50&take=2`);
    const sorted = [...ids].sort();
    expect(first.body).toMatchObject({ users: [{ user_id: sorted[0] }, { user_id: sorted[1] }] });
    expect(Object.keys(first.body as object)).toEqual(['users', 'next']);
    const next = (first.body as { next: string }).next;
    const second = await call('GET', `/roles/${role.id}/users?from=${next}&include_totals=true&take=2`);
    expect(second.body).toEqual({
      users: [expect.objectContaining({ user_id: sorted[2] })],
    });
    const offset = await call('GET', `/roles/${role.id}/users?include_totals=true&per_page=50`);
    expect(offset.body).toMatchObject({ start: 0, limit: 50, total: 3 });
    expect(Object.keys((offset.body as { users: object[] }).users[0]!)).toEqual([
      'user_id',
      'email',
      'picture',
      'name',
    ]);
  });

  it('POST and DELETE /users/{id}/roles answer 204 without a body; the roles envelope', async () => {
    const user = dbUsers()[5]!;
    const role = (await call('POST', '/roles', { name: 'user-role' })).body as { id: string };
    const add = await call('POST', `/users/${enc(user.user_id)}/roles`, { roles: [role.id] });
    expect(add).toMatchObject({ status: 204, text: '' });
    const listed = await call('GET', `/users/${enc(user.user_id)}/roles?include_totals=true&per_page=50`);
    expect(Object.keys(listed.body as object)).toEqual(['roles', 'start', 'limit', 'total']);
    const removed = await call('DELETE', `/users/${enc(user.user_id)}/roles`, { roles: [role.id] });
    expect(removed).toMatchObject({ status: 204, text: '' });
  });
});

describe('users (TestUserManager_*)', () => {
  it('GET /users with include_totals: start, limit, length, users, total', async () => {
    const user = dbUsers()[0]!;
    const res = await call(
      'GET',
      `/users?include_totals=true&per_page=50&q=${enc(`email:"${user.email}"`)}&search_engine=v3`,
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object)).toEqual(['start', 'limit', 'length', 'users', 'total']);
    expect(res.body).toMatchObject({ start: 0, limit: 50, length: 1, total: 1 });
  });

  it('DELETE /users/{id} answers 204, also for a user that is already gone; GET then 404 inexistent_user', async () => {
    const created = await call('POST', '/users', {
      connection: 'Username-Password-Authentication',
      email: 'recorded.delete@example.com',
      password: 'Passwords hide their chuck 1!',
    });
    expect(created.status).toBe(201);
    const id = enc((created.body as { user_id: string }).user_id);
    expect((await call('DELETE', `/users/${id}`)).status).toBe(204);
    expect(await call('GET', `/users/${id}`)).toMatchObject({
      status: 404,
      body: {
        statusCode: 404,
        error: 'Not Found',
        message: 'The user does not exist.',
        errorCode: 'inexistent_user',
      },
    });
    expect((await call('DELETE', `/users/${id}`)).status).toBe(204);
  });

  it('user logs, enrollments and blocks of a quiet user: [] and {"blocked_for":[]}', async () => {
    const created = (
      await call('POST', '/users', {
        connection: 'Username-Password-Authentication',
        email: 'recorded.quiet@example.com',
        password: 'Passwords hide their chuck 1!',
      })
    ).body as { user_id: string };
    const id = enc(created.user_id);
    expect(await call('GET', `/users/${id}/enrollments`)).toMatchObject({ status: 200, body: [] });
    expect(await call('GET', `/user-blocks/${id}`)).toMatchObject({ status: 200, body: { blocked_for: [] } });
    expect((await call('DELETE', `/user-blocks/${id}`)).status).toBe(204);
    const invalidate = await call('POST', `/users/${id}/multifactor/actions/invalidate-remember-browser`);
    expect(invalidate).toMatchObject({ status: 204, text: '' });
    // An empty authenticator list has no `total` (TestUserManager_AuthenticationMethods).
    expect(
      await call('GET', `/users/${id}/authentication-methods?include_totals=true&per_page=50`),
    ).toMatchObject({
      status: 200,
      body: { authenticators: [], start: 0, limit: 50 },
    });
    const withMethods = [...t.emu.store.authenticationMethods.entries()].find(([, m]) => m.length > 0)!;
    const listed = await call(
      'GET',
      `/users/${enc(withMethods[0])}/authentication-methods?include_totals=true`,
    );
    expect(Object.keys(listed.body as object)).toEqual(['authenticators', 'total', 'start', 'limit']);
  });
});

describe('jobs and tickets (TestJobManager_*, TestTicketManager_*)', () => {
  it('POST /jobs/users-exports answers 200 with the job in Auth0’s key order', async () => {
    const conn = t.emu.store.connectionByName('Username-Password-Authentication')!;
    const res = await call('POST', '/jobs/users-exports', {
      connection_id: conn.id,
      format: 'json',
      limit: 5,
      fields: [{ name: 'name' }, { name: 'email' }, { name: 'identities[0].connection' }],
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object)).toEqual([
      'type',
      'status',
      'connection_id',
      'format',
      'limit',
      'fields',
      'connection',
      'created_at',
      'id',
    ]);
    expect(res.body).toMatchObject({
      type: 'users_export',
      status: 'pending',
      connection: 'Username-Password-Authentication',
      fields: [{ name: 'name' }, { name: 'email' }, { name: 'identities[0].connection' }],
    });
  });

  it('verification-email job 201 {type, status, created_at, id}; tickets 201 {ticket}', async () => {
    const user = dbUsers()[1]!;
    const job = await call('POST', '/jobs/verification-email', {
      user_id: user.user_id,
      identity: { user_id: user.identities[0]!.user_id, provider: 'auth0' },
    });
    expect(job.status).toBe(201);
    expect(Object.keys(job.body as object)).toEqual(['type', 'status', 'created_at', 'id']);
    const reset = await call('POST', '/tickets/password-change', {
      result_url: 'https://example.com/change-password',
      user_id: user.user_id,
      ttl_sec: 3600,
      mark_email_as_verified: true,
      includeEmailInRedirect: true,
    });
    expect(reset.status).toBe(201);
    expect((reset.body as { ticket: string }).ticket).toMatch(/\/u\/reset-password\?ticket=[\w-]+#$/);
    const verify = await call('POST', '/tickets/email-verification', {
      result_url: 'https://example.com/verify-email',
      user_id: user.user_id,
      ttl_sec: 3600,
    });
    expect(verify.status).toBe(201);
    expect((verify.body as { ticket: string }).ticket).toMatch(/\/u\/email-verification\?ticket=[\w-]+#$/);
  });
});

describe('connections (TestConnectionManager_List)', () => {
  it('lists with totals first, and always sends is_domain_connection whatever fields asks for', async () => {
    const res = await call(
      'GET',
      '/connections?fields=id&include_fields=true&include_totals=true&per_page=50',
    );
    expect(Object.keys(res.body as object)).toEqual(['total', 'start', 'limit', 'connections']);
    for (const c of (res.body as { connections: object[] }).connections)
      expect(Object.keys(c)).toEqual(['id', 'is_domain_connection']);
    const byName = await call(
      'GET',
      '/connections?include_totals=true&name=Username-Password-Authentication&per_page=50',
    );
    expect(byName.body).toMatchObject({ total: 1, start: 0, limit: 50 });
    expect(await call('GET', '/connections/con_0000000000000000')).toMatchObject({
      status: 404,
      body: { message: 'The connection does not exist', errorCode: 'inexistent_connection' },
    });
  });
});
