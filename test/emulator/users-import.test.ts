// Users imports as Auth0 runs them: the job's shape through its states, per-user errors with z-schema codes, upsert
// rules, and the limits (file size, two concurrent jobs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkFailure as failure, startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let token: string;
beforeAll(async () => {
  t = await startTestTenant({ users: 40, seed: 'import-test' });
  token = await t.token();
});
afterAll(async () => t?.close());

const db = () => t.emu.store.connectionByName('Username-Password-Authentication')!;

async function startImport(
  users: unknown,
  fields: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.set('users', new Blob([JSON.stringify(users)], { type: 'application/json' }), 'users.json');
  form.set('connection_id', db().id);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const res = await t.fetch(`${t.emu.url}/api/v2/jobs/users-imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function finished(id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const job = (await t.client().jobs.get(id)) as Record<string, unknown>;
    if (job.status === 'completed' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error('job did not finish');
}

async function jobErrors(id: string): Promise<{ status: number; contentType: string | null; body: unknown }> {
  const res = await t.fetch(`${t.emu.url}/api/v2/jobs/${id}/errors`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    body: text ? JSON.parse(text) : null,
  };
}

describe('users imports', () => {
  it('answers 202 with the pending job, then completes with a summary in Auth0’s key order', async () => {
    const started = await startImport([{ email: 'shape.one@example.net', email_verified: true }], {
      upsert: 'true',
      external_id: '',
      send_completion_email: 'false',
    });
    // go-auth0 test/data/recordings/TestJobManager_ImportUsers.yaml
    expect(started.status).toBe(202);
    expect(Object.keys(started.body)).toEqual([
      'type',
      'status',
      'connection_id',
      'connection',
      'created_at',
      'id',
    ]);
    expect(started.body).toMatchObject({
      type: 'users_import',
      status: 'pending',
      connection_id: db().id,
      connection: 'Username-Password-Authentication',
    });
    const done = await finished(started.body.id as string);
    expect(Object.keys(done)).toEqual([
      'type',
      'status',
      'connection_id',
      'summary',
      'connection',
      'created_at',
      'id',
    ]);
    expect(done.summary).toEqual({ failed: 0, updated: 0, inserted: 1, total: 1 });
    // No errors: 204.
    expect((await jobErrors(started.body.id as string)).status).toBe(204);
    // The user as a real import creates it: name = email, nickname = local part, a gravatar picture.
    const [user] = await t.client().users.listUsersByEmail({ email: 'shape.one@example.net' });
    expect(user).toMatchObject({
      email: 'shape.one@example.net',
      email_verified: true,
      name: 'shape.one@example.net',
      nickname: 'shape.one',
      identities: [
        {
          provider: 'auth0',
          connection: 'Username-Password-Authentication',
          isSocial: false,
          user_id: expect.any(String),
        },
      ],
    });
    expect(user!.user_id).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(user!.picture).toMatch(/^https:\/\/s\.gravatar\.com\/avatar\//);
    expect(t.emu.outbox().some((m) => m.type === 'import_completion')).toBe(false);
  });

  it('echoes external_id, and mails the administrators unless send_completion_email is false', async () => {
    const started = await startImport([{ email: 'ext.id@example.net' }], { external_id: 'batch-7' });
    expect(started.body.external_id).toBe('batch-7');
    const done = await finished(started.body.id as string);
    expect(done.external_id).toBe('batch-7');
    expect(
      t.emu
        .outbox()
        .some((m) => m.type === 'import_completion' && m.subject.includes(started.body.id as string)),
    ).toBe(true);
  });

  it('reports each invalid user with z-schema codes, the property path and Auth0’s message', async () => {
    const users = [
      { email: 'not-an-email' },
      { name: 'No Email' },
      { email: 'extra@example.net', favourite_colour: 'blue' },
      { email: 'typed@example.net', email_verified: 'yes' },
      { email: 'algo@example.net', custom_password_hash: { algorithm: 'rot13', hash: { value: 'x' } } },
      { email: 'bcrypt@example.net', password_hash: 'plain-text' },
      { email: 'totp@example.net', mfa_factors: [{ totp: { secret: 'lowercase' } }] },
      { email: 'fine@example.net', password_hash: `$2b$10$${'a'.repeat(53)}` },
    ];
    const started = await startImport(users);
    const done = await finished(started.body.id as string);
    expect(done.summary).toEqual({ failed: 7, updated: 0, inserted: 1, total: 8 });
    const errs = await jobErrors(started.body.id as string);
    expect(errs.status).toBe(200);
    // Plain application/json here (go-auth0 TestJobManager_ReadErrors).
    expect(errs.contentType).toBe('application/json');
    const byEmail = new Map(
      (errs.body as { user: { email?: string; name?: string }; errors: unknown[] }[]).map((e) => [
        e.user.email ?? e.user.name,
        e.errors,
      ]),
    );
    expect(byEmail.get('not-an-email')).toEqual([
      {
        code: 'INVALID_FORMAT',
        message: "Error in email property - Object didn't pass validation for format email: not-an-email",
        path: 'email',
      },
    ]);
    expect(byEmail.get('No Email')).toEqual([
      { code: 'OBJECT_MISSING_REQUIRED_PROPERTY', message: 'Missing required property: email', path: '' },
    ]);
    expect(byEmail.get('extra@example.net')).toEqual([
      {
        code: 'OBJECT_ADDITIONAL_PROPERTIES',
        message: 'Additional properties not allowed: favourite_colour',
        path: '',
      },
    ]);
    expect(byEmail.get('typed@example.net')).toEqual([
      {
        code: 'INVALID_TYPE',
        message: 'Error in email_verified property - Expected type boolean but found type string',
        path: 'email_verified',
      },
    ]);
    expect(byEmail.get('algo@example.net')).toEqual([
      {
        code: 'ENUM_MISMATCH',
        message: 'Error in custom_password_hash.algorithm property - No enum match for: rot13',
        path: 'custom_password_hash.algorithm',
      },
    ]);
    expect(byEmail.get('bcrypt@example.net')).toEqual([
      {
        code: 'PATTERN',
        message:
          'Error in passwordHash property - String does not match pattern ^\\$2[ab]?\\$10+\\$[./A-Za-z0-9]{53}$: plain-text',
        path: 'passwordHash',
      },
    ]);
    expect(byEmail.get('totp@example.net')).toEqual([
      {
        code: 'PATTERN',
        message:
          'Error in mfa_factors[0].totp.secret property - String does not match pattern ^[A-Z2-7]+$: lowercase',
        path: 'mfa_factors[0].totp.secret',
      },
    ]);
  });

  it('fails duplicates within a file and existing users without upsert, with Auth0’s texts', async () => {
    const existing = [...t.emu.store.users.values()].find(
      (u) => u.identities[0]?.connection === 'Username-Password-Authentication',
    )!;
    const started = await startImport([
      { email: 'twice@example.net' },
      { email: 'TWICE@example.net' },
      { email: existing.email, email_verified: true },
    ]);
    const done = await finished(started.body.id as string);
    expect(done.summary).toEqual({ failed: 2, updated: 0, inserted: 1, total: 3 });
    expect((await jobErrors(started.body.id as string)).body).toEqual([
      {
        user: { email: 'TWICE@example.net' },
        errors: [{ code: 'DUPLICATED_USER', message: 'A user with this email was already provided.' }],
      },
      {
        // go-auth0 TestJobManager_ReadErrors: the user as sent, this message, no path.
        user: { email: existing.email, email_verified: true },
        errors: [
          { code: 'DUPLICATED_USER', message: 'The user already exist and upsert parameter is false' },
        ],
      },
    ]);
  });

  it('upserts only the upsertable attributes and replaces metadata instead of merging it', async () => {
    const first = await startImport([
      {
        email: 'upsert.me@example.net',
        username: 'upsert_me',
        given_name: 'Old',
        blocked: false,
        app_metadata: { plan: 'free', region: 'eu' },
        user_metadata: { theme: 'dark' },
      },
    ]);
    await finished(first.body.id as string);
    const second = await startImport(
      [
        {
          email: 'upsert.me@example.net',
          username: 'renamed',
          given_name: 'New',
          blocked: true,
          app_metadata: { plan: 'pro' },
        },
      ],
      { upsert: 'true' },
    );
    const done = await finished(second.body.id as string);
    expect(done.summary).toEqual({ failed: 0, updated: 1, inserted: 0, total: 1 });
    const [user] = await t.client().users.listUsersByEmail({ email: 'upsert.me@example.net' });
    expect(user).toMatchObject({ given_name: 'New', username: 'upsert_me', blocked: false });
    expect(user!.app_metadata).toEqual({ plan: 'pro' });
    expect(user!.user_metadata).toEqual({ theme: 'dark' });
  });

  it('refuses a third concurrent import with Auth0’s 429, and an unknown connection with its 404', async () => {
    const a = await startImport([{ email: 'c1@example.net' }]);
    const b = await startImport([{ email: 'c2@example.net' }]);
    const c = await startImport([{ email: 'c3@example.net' }]);
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(c).toEqual({
      status: 429,
      body: {
        statusCode: 429,
        error: 'Too Many Requests',
        message:
          'There are 2 active import users jobs, please wait until some of them are finished and try again',
        errorCode: 'too_many_requests',
      },
    });
    await finished(a.body.id as string);
    await finished(b.body.id as string);
    const missing = await failure(
      t.client().jobs.usersImports.create({
        users: new Blob(['[]']),
        connection_id: 'con_0000000000000000',
      }),
    );
    expect(missing.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'The connection does not exist',
      errorCode: 'inexistent_connection',
    });
  });
});
