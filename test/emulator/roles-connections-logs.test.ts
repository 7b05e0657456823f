// Roles, connections, logs, user blocks and MFA through the unmodified SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkFailure as failure, startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
beforeAll(async () => {
  t = await startTestTenant({ users: 200, seed: 'roles-test' });
});
afterAll(async () => t?.close());

const someUser = () => [...t.emu.store.users.values()][3]!;

describe('roles', () => {
  it('lists all 60 seeded roles across pages with totals, and filters by name', async () => {
    const c = t.client();
    const seen: string[] = [];
    for await (const role of await c.roles.list({ per_page: 25 })) seen.push(role.id as string);
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    const first = await c.roles.list({ per_page: 25, page: 0 });
    expect(first.response).toMatchObject({ start: 0, limit: 25, total: 60 });
    const filtered = await c.roles.list({ name_filter: 'admin' });
    expect(filtered.data.map((r) => r.name)).toContain('Admin');
    for (const r of filtered.data) expect(r.name?.toLowerCase()).toContain('admin');
  });

  it('creates, updates, reads and deletes a role; unknown ids give 404', async () => {
    const c = t.client();
    const role = await c.roles.create({ name: 'Night Shift', description: 'Support at night' });
    expect(role.id).toMatch(/^rol_[A-Za-z0-9]{16}$/);
    const dup = await failure(c.roles.create({ name: 'Night Shift' }));
    expect(dup.statusCode).toBe(409);
    const updated = await c.roles.update(role.id as string, { description: 'Support after 22:00' });
    expect(updated.description).toBe('Support after 22:00');
    expect((await c.roles.get(role.id as string)).name).toBe('Night Shift');
    await c.roles.delete(role.id as string);
    const gone = await failure(c.roles.get(role.id as string));
    // Auth0's role 404 has no errorCode (go-auth0 test/data/recordings/TestRoleManager_Delete.yaml).
    expect(gone.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'The role does not exist.' });
  });

  it('assigns users to a role and walks role users with checkpoint paging without duplicates', async () => {
    const c = t.client();
    const role = await c.roles.create({ name: 'Checkpoint Walkers' });
    const ids = [...t.emu.store.users.keys()].slice(0, 120);
    await c.roles.users.assign(role.id as string, { users: ids.slice(0, 60) });
    await c.roles.users.assign(role.id as string, { users: ids.slice(60) });
    const walked: string[] = [];
    for await (const u of await c.roles.users.list(role.id as string, { take: 50 }))
      walked.push(u.user_id as string);
    expect(walked).toHaveLength(120);
    expect(new Set(walked)).toEqual(new Set(ids));
    const unknown = await failure(c.roles.users.assign(role.id as string, { users: ['auth0|nope'] }));
    expect(unknown.statusCode).toBe(404);
  });

  it('assigns and removes a user\u2019s roles', async () => {
    const c = t.client();
    const user = someUser();
    const role = await c.roles.create({ name: 'Temporary' });
    await c.users.roles.assign(user.user_id, { roles: [role.id as string] });
    let roles = await c.users.roles.list(user.user_id);
    expect(roles.data.map((r) => r.id)).toContain(role.id);
    await c.users.roles.delete(user.user_id, { roles: [role.id as string] });
    roles = await c.users.roles.list(user.user_id);
    expect(roles.data.map((r) => r.id)).not.toContain(role.id);
    const missing = await failure(c.users.roles.assign(user.user_id, { roles: ['rol_0000000000000000'] }));
    expect(missing.statusCode).toBe(404);
  });

  it('manages role permissions over the tenant\u2019s API', async () => {
    const c = t.client();
    const role = await c.roles.create({ name: 'Reporter' });
    const rs = 'https://reports.tenant-desk.local/';
    await c.roles.permissions.add(role.id as string, {
      permissions: [{ resource_server_identifier: rs, permission_name: 'read:reports' }],
    });
    const perms = await c.roles.permissions.list(role.id as string);
    expect(perms.data).toEqual([
      {
        permission_name: 'read:reports',
        description: 'Read reports',
        resource_server_name: 'Reports API',
        resource_server_identifier: rs,
      },
    ]);
    const bad = await failure(
      c.roles.permissions.add(role.id as string, {
        permissions: [{ resource_server_identifier: rs, permission_name: 'fly:planes' }],
      }),
    );
    expect(bad.statusCode).toBe(400);
    await c.roles.permissions.delete(role.id as string, {
      permissions: [{ resource_server_identifier: rs, permission_name: 'read:reports' }],
    });
    expect((await c.roles.permissions.list(role.id as string)).data).toEqual([]);
  });

  it('refuses role writes to the support-desk grant', async () => {
    const err = await failure(t.client('support-desk').roles.create({ name: 'Nope' }));
    expect(err.statusCode).toBe(403);
    expect(err.body).toMatchObject({
      errorCode: 'insufficient_scope',
      message: 'Insufficient scope, expected any of: create:roles',
    });
  });
});

describe('connections', () => {
  it('lists connections with strategy and name filters, and gets one', async () => {
    const c = t.client();
    const all: string[] = [];
    for await (const conn of await c.connections.list({ take: 2 })) all.push(conn.name as string);
    expect(all).toEqual(
      expect.arrayContaining([
        'Username-Password-Authentication',
        'google-oauth2',
        'github',
        'acme-saml',
        'contoso-azure-ad',
      ]),
    );
    expect(all).toHaveLength(5);
    const db = await c.connections.list({ strategy: ['auth0'] });
    expect(db.data.map((x) => x.name)).toEqual(['Username-Password-Authentication']);
    const one = await c.connections.get(db.data[0]!.id as string);
    expect(one).toMatchObject({ name: 'Username-Password-Authentication', strategy: 'auth0' });
    const missing = await failure(c.connections.get('con_0000000000000000'));
    expect(missing.statusCode).toBe(404);
  });
});

describe('logs', () => {
  it('lists tenant logs newest first, searches them, and pages a user\u2019s logs', async () => {
    const c = t.client();
    const page = await c.logs.list({ per_page: 10 });
    const dates = page.data.map((l) => l.date as string);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect((page.response as { total: number }).total).toBe(t.emu.store.logs.length);

    const logins = await c.logs.list({ search: 'type:s', per_page: 100 });
    expect(logins.data.length).toBeGreaterThan(0);
    for (const l of logins.data) expect(l.type).toBe('s');

    const withLogs = t.emu.store.logs.find((l) => l.user_id)!.user_id!;
    const userLogs = await c.users.logs.list(withLogs);
    expect(userLogs.data.length).toBeGreaterThan(0);
    for (const l of userLogs.data) expect(l.user_id).toBe(withLogs);

    const one = await c.logs.get(page.data[0]!.log_id as string);
    expect(one.log_id).toBe(page.data[0]!.log_id);
    const bad = await failure(c.logs.list({ search: 'type:(s' }));
    expect(bad.statusCode).toBe(400);
  });

  it('searches logs with the user-search engine and Auth0’s log rules: words, case, wildcards, ranges', async () => {
    const c = t.client();
    const logs = t.emu.store.logs;
    const ids = async (search: string) => {
      const got = new Set<string>();
      for (let page = 0; page < 10; page++) {
        const r = await c.logs.list({ search, per_page: 100, page });
        for (const l of r.data) got.add(l.log_id as string);
        if (r.data.length < 100) break;
      }
      return got;
    };
    const wrong = logs.filter((l) => /\bpassword\b/i.test(l.description ?? ''));
    expect(wrong.length).toBeGreaterThan(0);
    // A word of the description, in any case, finds it; so does the phrase.
    const byWord = await ids('description:PASSWORD');
    for (const l of wrong.slice(-50)) expect(byWord.has(l.log_id)).toBe(true);
    const someWrong = wrong.at(-1)!;
    expect(await ids(`description:"${someWrong.description}"`)).toContain(someWrong.log_id);
    // user_name is case-insensitive, with wildcards; dates compare as ranges (an inclusive day takes its times).
    const named = logs.filter((l) => l.user_name).at(-1)!;
    const byName = await ids(`user_name:${named.user_name!.toUpperCase()}`);
    expect(byName).toContain(named.log_id);
    const day = named.date.slice(0, 10);
    const onDay = await ids(`date:[${day} TO ${day}] AND user_name:${named.user_name!.slice(0, 4)}*`);
    expect(onDay).toContain(named.log_id);
    for (const id of onDay) {
      const l = logs.find((x) => x.log_id === id)!;
      expect(l.date.startsWith(day)).toBe(true);
    }
  });

  it('records a log event for each write it receives', async () => {
    const c = t.client();
    const sapiFor = (id: string) =>
      t.emu.store.logs.filter((l) => l.type === 'sapi' && l.user_id === id).length;
    const before = sapiFor(someUser().user_id);
    await c.users.update(someUser().user_id, { app_metadata: { touched: true } });
    const after = await c.logs.list({ search: `user_id:"${someUser().user_id}" AND type:sapi`, per_page: 5 });
    expect(sapiFor(someUser().user_id)).toBe(before + 1);
    expect(after.data[0]?.description).toBe('Update a User');
  });
});

describe('user blocks and MFA', () => {
  it('reads and clears brute-force blocks by id and by identifier', async () => {
    const c = t.client();
    const blocked = [...t.emu.store.blocks.keys()][0];
    const userId = blocked ?? someUser().user_id;
    if (!blocked) t.emu.store.blocks.set(userId, [{ identifier: someUser().email!, ip: '203.0.113.9' }]);
    const user = t.emu.store.users.get(userId)!;
    expect((await c.userBlocks.list(userId)).blocked_for?.length).toBeGreaterThan(0);
    expect(
      (await c.userBlocks.listByIdentifier({ identifier: user.email! })).blocked_for?.length,
    ).toBeGreaterThan(0);
    await c.userBlocks.deleteByIdentifier({ identifier: user.email! });
    expect((await c.userBlocks.list(userId)).blocked_for).toEqual([]);
    const unknown = await failure(c.userBlocks.list('auth0|doesnotexist'));
    expect(unknown.statusCode).toBe(404);
  });

  it('lists enrollments and authentication methods, resets them and invalidates remembered browsers', async () => {
    const c = t.client();
    const userId = [...t.emu.store.authenticationMethods.keys()][0]!;
    expect((await c.users.enrollments.get(userId)).length).toBeGreaterThan(0);
    const methods = await c.users.authenticationMethods.list(userId);
    expect(methods.data.length).toBeGreaterThan(0);
    await c.users.multifactor.invalidateRememberBrowser(userId);
    await c.users.authenticationMethods.deleteAll(userId);
    expect((await c.users.authenticationMethods.list(userId)).data).toEqual([]);
    expect(await c.users.enrollments.get(userId)).toEqual([]);
    expect((await c.users.get(userId)).multifactor).toBeUndefined();
    const support = await failure(
      t.client('support-desk').users.authenticationMethods.deleteAll(someUser().user_id),
    );
    expect(support.statusCode).toBe(403);
  });
});
