// The users endpoints through the unmodified auth0 SDK, as Tenant Desk will call them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkFailure as failure, startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
beforeAll(async () => {
  t = await startTestTenant({ users: 300, seed: 'users-test' });
});
afterAll(async () => t?.close());

const strongPassword = 'Correct-Horse-9';

describe('users through the SDK', () => {
  it('lists users with the include_totals envelope and paging', async () => {
    const page = await t.client().users.list({ per_page: 25, page: 1 });
    const body = page.response as {
      start: number;
      limit: number;
      length: number;
      total: number;
      users: unknown[];
    };
    expect(body).toMatchObject({ start: 25, limit: 25, length: 25, total: 300 });
    expect(page.data).toHaveLength(25);
    const all = [...t.emu.store.users.values()].slice(25, 50).map((u) => u.user_id);
    expect(page.data.map((u) => u.user_id)).toEqual(all);
  });

  it('searches with the v3 query syntax', async () => {
    const expected = [...t.emu.store.users.values()].filter((u) => u.email?.endsWith('@example.com')).length;
    expect(expected).toBeGreaterThan(0);
    const page = await t
      .client()
      .users.list({ q: 'email:*@example.com', per_page: 100, search_engine: 'v3' });
    expect((page.response as { total: number }).total).toBe(expected);
    for (const u of page.data) expect(u.email).toMatch(/@example\.com$/);
  });

  it('sorts and projects fields', async () => {
    const page = await t
      .client()
      .users.list({ sort: 'created_at:1', fields: 'user_id,created_at', include_fields: true, per_page: 10 });
    const dates = page.data.map((u) => u.created_at as string);
    expect([...dates].sort()).toEqual(dates);
    expect(Object.keys(page.data[0] ?? {}).sort()).toEqual(['created_at', 'user_id']);
  });

  it('refuses to page past the first 1000 results with Auth0\u2019s error', async () => {
    const err = await failure(t.client().users.list({ page: 10, per_page: 100 }));
    expect(err.statusCode).toBe(400);
    expect(err.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        'You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation',
      errorCode: 'invalid_paging',
    });
  });

  it('rejects per_page over 100 with a query validation error', async () => {
    const err = await failure(t.client().users.list({ per_page: 1000 }));
    expect(err.statusCode).toBe(400);
    expect(err.body).toMatchObject({
      errorCode: 'invalid_query_string',
      message:
        "Query validation error: 'Value 1000 is greater than maximum 100' on property per_page (Number of results per page. Defaults to 50.).",
    });
  });

  it('rejects a malformed query with a 400 and changes nothing', async () => {
    const err = await failure(t.client().users.list({ q: 'email:(unclosed' }));
    expect(err.statusCode).toBe(400);
    expect((err.body as { message: string }).message).toBeTruthy();
  });

  it('creates, reads, updates with Auth0\u2019s merge rules and deletes a user', async () => {
    const c = t.client();
    const created = await c.users.create({
      connection: 'Username-Password-Authentication',
      email: 'New.Person@Example.com',
      password: strongPassword,
      user_metadata: { theme: 'dark', language: 'en' },
      app_metadata: { plan: 'free', flags: { a: true } },
    });
    expect(created.user_id).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(created.email).toBe('new.person@example.com');
    expect(created.identities?.[0]).toMatchObject({
      connection: 'Username-Password-Authentication',
      provider: 'auth0',
      isSocial: false,
    });
    expect(created).not.toHaveProperty('password');

    const id = created.user_id as string;
    const fetched = await c.users.get(id);
    expect(fetched.email).toBe('new.person@example.com');

    const updated = await c.users.update(id, {
      user_metadata: { theme: null as unknown as string, timezone: 'Europe/Paris' },
      app_metadata: { plan: 'pro' },
    });
    expect(updated.user_metadata).toEqual({ language: 'en', timezone: 'Europe/Paris' });
    // First-level merge only: the nested object is replaced as a whole only when sent.
    expect(updated.app_metadata).toEqual({ plan: 'pro', flags: { a: true } });
    expect(Date.parse(updated.updated_at as string)).toBeGreaterThanOrEqual(
      Date.parse(created.updated_at as string),
    );

    const cleared = await c.users.update(id, { user_metadata: {} });
    expect(cleared.user_metadata).toEqual({});

    const withPassword = await c.users.update(id, { password: 'Another-Strong-7' });
    expect(withPassword.last_password_reset).toBeTruthy();

    const found = await c.users.list({ q: 'user_metadata.timezone:"Europe/Paris"' });
    expect(found.data).toHaveLength(0); // cleared above, and the index follows every write

    await c.users.delete(id);
    const gone = await failure(c.users.get(id));
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'The user does not exist.',
      errorCode: 'inexistent_user',
    });
  });

  it('answers 409 for an existing user in the connection', async () => {
    const c = t.client();
    await c.users.create({
      connection: 'Username-Password-Authentication',
      email: 'dup@example.net',
      password: strongPassword,
    });
    const err = await failure(
      c.users.create({
        connection: 'Username-Password-Authentication',
        email: 'DUP@example.net',
        password: strongPassword,
      }),
    );
    expect(err.statusCode).toBe(409);
    expect(err.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'The user already exists.',
      errorCode: 'auth0_idp_error',
    });
  });

  it('enforces the connection\u2019s password policy and field rules', async () => {
    const c = t.client();
    const weak = await failure(
      c.users.create({
        connection: 'Username-Password-Authentication',
        email: 'weak@example.net',
        password: 'abc',
      }),
    );
    expect(weak.statusCode).toBe(400);
    expect((weak.body as { message: string }).message).toBe('PasswordStrengthError: Password is too weak');
    expect(t.emu.store.usersByEmail('weak@example.net')).toHaveLength(0);

    const unknownConnection = await failure(
      c.users.create({ connection: 'nope', email: 'x@example.net', password: strongPassword }),
    );
    expect(unknownConnection.body).toMatchObject({
      statusCode: 400,
      message: 'The connection does not exist.',
    });

    const target = await c.users.create({
      connection: 'Username-Password-Authentication',
      email: 'rules@example.net',
      password: strongPassword,
    });
    const both = await failure(
      c.users.update(target.user_id as string, { password: strongPassword, email: 'other@example.net' }),
    );
    expect(both.body).toMatchObject({
      statusCode: 400,
      message: 'Cannot update password and email simultaneously.',
    });

    const social = [...t.emu.store.users.values()].find((u) => u.identities[0]?.isSocial);
    expect(social).toBeDefined();
    const socialEmail = await failure(c.users.update(social!.user_id, { email: 'changed@example.net' }));
    expect(socialEmail.body).toMatchObject({
      statusCode: 400,
      message: 'Cannot update email for non-database user.',
    });
  });

  it('rejects unknown body fields and wrong types with payload validation errors', async () => {
    const c = t.client();
    const extra = await failure(
      c.users.create({ connection: 'Username-Password-Authentication', foo: 1 } as never),
    );
    expect(extra.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: "Payload validation error: 'Additional properties not allowed: foo'.",
      errorCode: 'invalid_body',
    });
    const someone = [...t.emu.store.users.values()][0]!;
    const before = JSON.stringify(t.emu.store.users.get(someone.user_id));
    const wrongType = await failure(
      c.users.update(someone.user_id, { blocked: 'yes' as unknown as boolean }),
    );
    expect(wrongType.body).toMatchObject({
      statusCode: 400,
      message: "Payload validation error: 'Expected type boolean but found type string' on property blocked.",
      errorCode: 'invalid_body',
    });
    expect(JSON.stringify(t.emu.store.users.get(someone.user_id))).toBe(before);
  });

  it('finds users by email case-insensitively, as a bare array', async () => {
    const someone = [...t.emu.store.users.values()].find((u) => u.email)!;
    const found = await t.client().users.listUsersByEmail({ email: someone.email!.toUpperCase() });
    expect(found.map((u) => u.user_id)).toContain(someone.user_id);
    const none = await t.client().users.listUsersByEmail({ email: 'nobody@nowhere.example' });
    expect(none).toEqual([]);
  });

  it('records a tenant log event for each write', async () => {
    const c = t.client();
    const u = await c.users.create({
      connection: 'Username-Password-Authentication',
      email: 'logged@example.net',
      password: strongPassword,
    });
    const events = t.emu.store.logs.filter((l) => l.user_id === u.user_id && l.type === 'sapi');
    expect(events.map((e) => e.description)).toContain('Create a User');
  });
});
