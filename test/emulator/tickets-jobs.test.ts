// Tickets and their pages, the reset email, and jobs (verification email, exports, imports) through the SDK.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkFailure as failure, startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
beforeAll(async () => {
  t = await startTestTenant({ users: 120, seed: 'jobs-test' });
});
afterAll(async () => t?.close());

const dbUser = () =>
  [...t.emu.store.users.values()].find((u) => u.identities[0]?.provider === 'auth0' && u.email)!;

async function waitForJob(id: string): Promise<Record<string, unknown>> {
  const seen: string[] = [];
  for (let i = 0; i < 100; i++) {
    const job = (await t.client().jobs.get(id)) as Record<string, unknown>;
    if (seen.at(-1) !== job.status) seen.push(job.status as string);
    if (job.status === 'completed' || job.status === 'failed') return { ...job, seen };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('job did not finish');
}

describe('tickets', () => {
  it('issues a password-change ticket whose page sets a new password', async () => {
    const user = dbUser();
    const { ticket } = await t
      .client()
      .tickets.changePassword({ user_id: user.user_id, result_url: 'https://app.example/done', ttl_sec: 0 });
    expect(ticket).toMatch(
      new RegExp(`^https://${t.emu.domain.replace('.', '\\.')}/u/reset-password\\?ticket=[\\w-]+#$`),
    );
    const form = await t.fetch(ticket!);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('name="password"');
    const id = new URL(ticket!).searchParams.get('ticket')!;
    const weak = await t.fetch(`${t.emu.url}/u/reset-password`, {
      method: 'POST',
      body: new URLSearchParams({ ticket: id, password: 'abc' }),
    });
    expect(weak.status).toBe(400);
    const done = await t.fetch(`${t.emu.url}/u/reset-password`, {
      method: 'POST',
      body: new URLSearchParams({ ticket: id, password: 'Brand-New-Pass-1' }),
      redirect: 'manual',
    });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toMatch(/^https:\/\/app\.example\/done\?success=true/);
    expect(t.emu.store.users.get(user.user_id)?.last_password_reset).toBeTruthy();
    expect(t.emu.store.checkPassword(user.user_id, 'Brand-New-Pass-1')).toBe(true);
    const again = await t.fetch(ticket!);
    expect(await again.text()).toContain('already used');
  });

  it('issues an email-verification ticket that verifies the email', async () => {
    const user = [...t.emu.store.users.values()].find((u) => u.email_verified === false)!;
    const { ticket } = await t.client().tickets.verifyEmail({ user_id: user.user_id });
    expect(ticket).toContain('/u/email-verification?ticket=');
    const res = await t.fetch(ticket!);
    expect(res.status).toBe(200);
    expect(t.emu.store.users.get(user.user_id)?.email_verified).toBe(true);
  });

  it('answers 404 for an unknown user and 403 without create:user_tickets', async () => {
    const missing = await failure(
      t.client().tickets.changePassword({ user_id: 'auth0|000000000000000000000000' }),
    );
    expect(missing.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'The user does not exist.',
      errorCode: 'inexistent_user',
    });
    const token = await t.token('no-grant').catch(() => null);
    expect(token).toBeNull();
  });
});

describe('reset email', () => {
  it('records the email in the outbox and answers like Auth0 for known and unknown emails', async () => {
    const user = dbUser();
    const send = (email: string) =>
      t.fetch(`${t.emu.url}/dbconnections/change_password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_id: t.emu.clientId,
          email,
          connection: 'Username-Password-Authentication',
        }),
      });
    const res = await send(user.email!);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("We've just sent you an email to reset your password.");
    const unknown = await send('nobody@nowhere.example');
    expect(await unknown.text()).toBe("We've just sent you an email to reset your password.");
    const outbox = (await (
      await t.fetch(`${t.emu.url}/__emulator/outbox?to=${encodeURIComponent(user.email!)}`)
    ).json()) as { type: string; link: string }[];
    expect(outbox.filter((m) => m.type === 'reset_email')).toHaveLength(1);
    expect(outbox[0]!.link).toContain('/u/reset-password?ticket=');
    expect(t.emu.outbox().some((m) => m.to === 'nobody@nowhere.example')).toBe(false);
  });
});

describe('jobs', () => {
  it('sends a verification email as a job', async () => {
    const user = dbUser();
    const job = await t.client().jobs.verificationEmail.create({ user_id: user.user_id });
    expect(job).toMatchObject({ type: 'verification_email', status: 'pending' });
    expect(job.id).toMatch(/^job_/);
    expect((await waitForJob(job.id as string)).status).toBe('completed');
    expect(t.emu.outbox().some((m) => m.to === user.email && m.type === 'verify_email')).toBe(true);
  });

  it('exports users as gzipped CSV through pending, processing and completed', async () => {
    const conn = t.emu.store.connectionByName('Username-Password-Authentication')!;
    const job = await t.client().jobs.usersExports.create({
      connection_id: conn.id,
      format: 'csv',
      fields: [
        { name: 'user_id' },
        { name: 'email', export_as: 'Email' },
        { name: 'identities[0].connection', export_as: 'Connection' },
        { name: 'app_metadata.plan', export_as: 'Plan' },
      ],
    });
    expect(job).toMatchObject({
      type: 'users_export',
      status: 'pending',
      format: 'csv',
      connection_id: conn.id,
    });
    const done = await waitForJob(job.id as string);
    expect(done.seen).toEqual(expect.arrayContaining(['processing', 'completed']));
    const res = await t.fetch(done.location as string);
    expect(res.status).toBe(200);
    const csv = gunzipSync(Buffer.from(await res.arrayBuffer()))
      .toString('utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('user_id,Email,Connection,Plan');
    const expected = [...t.emu.store.users.values()].filter((u) => u.identities[0]?.connection === conn.name);
    expect(csv).toHaveLength(expected.length + 1);
    expect(csv[1]).toBe(
      `${expected[0]!.user_id},${expected[0]!.email},${conn.name},${String(expected[0]!.app_metadata?.plan)}`,
    );
  });

  it('exports NDJSON and refuses whole metadata objects in CSV', async () => {
    const job = await t.client().jobs.usersExports.create({
      format: 'json',
      limit: 5,
      fields: [{ name: 'user_id' }, { name: 'user_metadata' }],
    });
    const done = await waitForJob(job.id as string);
    const lines = gunzipSync(Buffer.from(await (await t.fetch(done.location as string)).arrayBuffer()))
      .toString('utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(5);
    expect(Object.keys(JSON.parse(lines[0]!) as object)).toEqual(['user_id', 'user_metadata']);
    const bad = await failure(
      t.client().jobs.usersExports.create({ format: 'csv', fields: [{ name: 'user_metadata' }] }),
    );
    expect(bad.statusCode).toBe(400);
  });

  it('imports users, reports a summary and per-user errors', async () => {
    const conn = t.emu.store.connectionByName('Username-Password-Authentication')!;
    const existing = dbUser();
    const users = [
      { email: 'imported.one@example.net', email_verified: true, app_metadata: { plan: 'pro' } },
      { email: 'imported.two@example.net', name: 'Two' },
      { email: existing.email },
      { email: 'bad-entry@example.net', favourite_colour: 'blue' },
    ];
    const job = await t.client().jobs.usersImports.create({
      users: new Blob([JSON.stringify(users)], { type: 'application/json' }),
      connection_id: conn.id,
      upsert: false,
    });
    expect(job).toMatchObject({ type: 'users_import', status: 'pending', connection_id: conn.id });
    const done = await waitForJob(job.id as string);
    expect(done.summary).toEqual({ failed: 2, updated: 0, inserted: 2, total: 4 });
    const errs = (await t.client().jobs.errors.get(job.id as string)) as {
      user: { email: string };
      errors: { code: string }[];
    }[];
    expect(errs.map((e) => e.errors[0]!.code).sort()).toEqual([
      'DUPLICATED_USER',
      'OBJECT_ADDITIONAL_PROPERTIES',
    ]);
    const found = await t.client().users.listUsersByEmail({ email: 'imported.one@example.net' });
    expect(found[0]?.app_metadata).toEqual({ plan: 'pro' });
  });

  it('refuses an import file over 500 KB with Auth0\u2019s 413', async () => {
    const conn = t.emu.store.connectionByName('Username-Password-Authentication')!;
    const big = JSON.stringify(
      Array.from({ length: 6000 }, (_, i) => ({ email: `u${i}@example.net`, name: 'x'.repeat(80) })),
    );
    const err = await failure(
      t.client().jobs.usersImports.create({ users: new Blob([big]), connection_id: conn.id }),
    );
    expect(err.statusCode).toBe(413);
    expect((err.body as { message: string }).message).toBe(
      'Payload content length greater than maximum allowed: 512000.',
    );
  });
});
