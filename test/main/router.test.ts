// The bridge's router: every channel validates its payload, and no answer or event ever carries a secret.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  channelNames,
  channels,
  tenantOf,
  type ChannelName,
  type TenantProfile,
} from '../../preload/contract.js';
import { SnapshotReader } from '../../main/snapshots/snapshot-file.js';
import { createApp, type App } from '../../main/app.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';
import { keychainSecret } from '../support/keychain.js';
import { exportProgress } from '../support/router.js';

let t: TestTenant;
let app: App;
let dataDir: string;
const events: { event: string; payload: unknown }[] = [];

beforeAll(async () => {
  t = await startTestTenant({ users: 10 });
  dataDir = mkdtempSync(join(tmpdir(), 'td-router-'));
  app = await createApp({ dataDir, host: 'browser', version: 'test', localTenantUsers: 50 });
  app.router.subscribe((event, payload) => events.push({ event, payload }));
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('router validation', () => {
  const malformed: unknown[] = [{ bogus: true }, 'not an object', [1, 2], 42, { id: 7 }, { id: '' }];

  it('rejects a malformed payload on every channel with `validation`, changing nothing', async () => {
    const before = existsSync(join(dataDir, 'tenants.json'))
      ? readFileSync(join(dataDir, 'tenants.json'), 'utf8')
      : null;
    for (const channel of channelNames) {
      for (const payload of malformed) {
        const r = await app.router.invoke(channel, payload);
        expect(r.ok, `${channel} accepted ${JSON.stringify(payload)}`).toBe(false);
        if (!r.ok) expect(r.error.code, channel).toBe('validation');
      }
    }
    const after = existsSync(join(dataDir, 'tenants.json'))
      ? readFileSync(join(dataDir, 'tenants.json'), 'utf8')
      : null;
    expect(after).toBe(before);
  });

  it('rejects unknown channels and specific bad fields with a message naming the field', async () => {
    expect(await app.router.invoke('tenants:steal-secret', {})).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    const r = await app.router.invoke('tenants:add', {
      label: 'x',
      // A URL is taken as its host (https://acme.eu.auth0.com/ is acme.eu.auth0.com); this host is no host name.
      domain: 'https://evil_example/path',
      clientId: 'c',
      environment: 'production',
      color: 'red',
      secret: 's',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(/domain: Domain is a host name/);
      expect(r.error.message).toMatch(/color: Colour is a #rrggbb value/);
    }
  });
});

describe('the tenant a request is bound to', () => {
  it('is read from the field its channel declares, never guessed from the input', () => {
    expect(tenantOf('users:get', { tenantId: 'ten_a', userId: 'auth0|1' })).toBe('ten_a');
    expect(
      tenantOf(
        'roles:add-permissions',
        channels['roles:add-permissions'].input.parse({
          tenantId: 'ten_b',
          roleId: 'rol_1',
          permissions: [{ resourceServer: 'https://api', name: 'read:x' }],
          guard: { confirmed: true },
        }),
      ),
    ).toBe('ten_b');
    expect(tenantOf('tenants:test-connection', { id: 'ten_c' })).toBe('ten_c');
    // A filter by tenant is not a binding; nor are channels about several tenants or none.
    expect(tenantOf('audit:list', { tenantId: 'ten_d', limit: 10 } as never)).toBeNull();
    expect(tenantOf('cross:search', { tenantIds: ['ten_a', 'ten_b'] } as never)).toBeNull();
    expect(tenantOf('tasks:get', { taskId: 'job_1' })).toBeNull();
    // Every channel that names one tenant declares it: the write channels all do.
    const bound = channelNames.filter((c) => 'tenant' in channels[c]);
    expect(bound.length).toBeGreaterThan(40);
    for (const c of ['users:update-metadata', 'bulk:plan', 'exports:start', 'imports:prepare', 'logs:search'])
      expect(bound).toContain(c);
  });
});

describe('no secret ever crosses the bridge', () => {
  it('walks every channel and finds no client secret, private key or access token in answers or events', async () => {
    const answers: unknown[] = [];
    const call = async (channel: ChannelName, payload: unknown) => {
      const r = await app.router.invoke(channel, payload);
      answers.push(r);
      return r;
    };
    const admin = t.emu.clients.find((c) => c.name === 'admin')!;
    const jwt = t.emu.clients.find((c) => c.name === 'admin-private-key-jwt')!;
    const sandbox = (await call('local-tenant:start', {})) as { ok: true; data: TenantProfile };
    expect(sandbox.ok).toBe(true);
    const added = (await call('tenants:add', {
      label: 'Admin',
      domain: t.emu.domain,
      clientId: admin.clientId,
      environment: 'production',
      color: '#aa0000',
      caCert: t.emu.caCert,
      secret: admin.clientSecret,
    })) as { ok: true; data: TenantProfile };
    const jwtTenant = (await call('tenants:add', {
      label: 'JWT',
      domain: t.emu.domain,
      clientId: jwt.clientId,
      authMethod: 'private_key_jwt',
      environment: 'staging',
      color: '#00aa00',
      caCert: t.emu.caCert,
      secret: jwt.privateKey,
    })) as { ok: true; data: TenantProfile };
    const id = added.data.id;
    const visited = new Set<ChannelName>();
    const run = async (channel: ChannelName, payload: unknown) => {
      visited.add(channel);
      await call(channel, payload);
    };
    await run('app:info', {});
    await run('keychain:status', {});
    await run('tenants:list', {});
    await run('tenants:test-connection', { id });
    await run('tenants:test-connection', { id: jwtTenant.data.id });
    await run('tenants:test-connection', { id: sandbox.data.id });
    // A production tenant: every write carries the guard's answer (destructive ones the domain typed back).
    const guard = { confirmed: true as const, typedDomain: t.emu.domain };
    await run('tenants:update', { id, patch: { label: 'Admin (renamed)' } });
    await run('tenants:set-secret', { id, secret: 'wrong-secret-on-purpose', guard });
    await run('tenants:test-connection', { id }); // fails: the error must not echo the secret
    await run('tenants:set-secret', { id, secret: admin.clientSecret, guard });
    await run('tenants:test-connection', { id });
    await run('audit:list', {});
    const exported = (await call('audit:export-csv', {})) as { ok: true; data: { id: string } };
    visited.add('audit:export-csv');
    await run('downloads:save', { id: exported.data.id });
    await run('local-tenant:status', {});

    const someone = [...t.emu.store.users.values()].find(
      (u) => u.identities[0]?.provider === 'auth0' && u.email,
    )!;
    const userId = someone.user_id;
    const role = [...t.emu.store.roles.values()][0]!;
    await run('users:search', { tenantId: id, q: 'email:*@example.com' });
    await run('users:get', { tenantId: id, userId });
    await run('connections:list', { tenantId: id });
    await run('roles:search', { tenantId: id });
    await run('users:create', {
      tenantId: id,
      connection: 'Username-Password-Authentication',
      email: 'walker@example.net',
      password: 'Walk-The-Line-1',
      guard,
    });
    const current = t.emu.store.users.get(userId)!;
    await run('users:update-metadata', {
      tenantId: id,
      userId,
      kind: 'app_metadata',
      changes: { walked: true },
      expectedUpdatedAt: current.updated_at,
      guard,
    });
    await run('users:update-profile', {
      tenantId: id,
      userId,
      changes: { nickname: 'walker' },
      expectedUpdatedAt: t.emu.store.users.get(userId)!.updated_at,
      guard,
    });
    await run('users:set-blocked', { tenantId: id, userId, blocked: true, guard });
    await run('users:blocks', { tenantId: id, userId });
    await run('users:unblock-brute-force', { tenantId: id, userId, guard });
    await run('users:set-email-verified', { tenantId: id, userId, guard });
    await run('users:send-verification-email', { tenantId: id, userId, guard });
    await run('users:password-ticket', { tenantId: id, userId, guard });
    await run('users:reset-email', { tenantId: id, userId, guard });
    await run('users:set-password', { tenantId: id, userId, password: 'Another-Pass-42', guard });
    await run('users:mfa', { tenantId: id, userId });
    await run('users:mfa-reset', { tenantId: id, userId, guard });
    await run('users:invalidate-remember-browser', { tenantId: id, userId, guard });
    await run('users:assign-roles', { tenantId: id, userId, roleIds: [role.id], guard });
    await run('users:roles', { tenantId: id, userId });
    await run('users:remove-roles', { tenantId: id, userId, roleIds: [role.id], guard });
    await run('users:logs', { tenantId: id, userId });
    // A user's access: two of each, one revoked by id, the other with the rest; then signed out everywhere.
    {
      const now = new Date().toISOString();
      const device = {
        initial_user_agent: 'UA',
        initial_ip: '192.0.2.1',
        initial_asn: '1',
        last_user_agent: 'UA',
        last_ip: '192.0.2.1',
        last_asn: '1',
      };
      const store = t.emu.store;
      store.sessions.set(
        userId,
        ['sess_walk1', 'sess_walk2'].map((sid) => ({
          id: sid,
          user_id: userId,
          created_at: now,
          updated_at: now,
          authenticated_at: now,
          idle_expires_at: now,
          expires_at: now,
          last_interacted_at: now,
          device,
          clients: [{ client_id: 'app' }],
          authentication: { methods: [] },
        })),
      );
      store.refreshTokens.set(
        userId,
        ['rt_walk1', 'rt_walk2'].map((rid) => ({
          id: rid,
          user_id: userId,
          created_at: now,
          device,
          client_id: 'app',
          rotating: true,
          resource_servers: [],
        })),
      );
      store.grants.set(
        userId,
        ['cgr_walk1', 'cgr_walk2'].map((gid) => ({
          id: gid,
          clientID: 'app',
          user_id: userId,
          audience: 'https://api.example',
          scope: ['openid'],
        })),
      );
      store.authenticationMethods.set(userId, [
        { id: 'totp|walk', type: 'totp', confirmed: true, created_at: now, authentication_methods: [] },
      ]);
      await run('users:access', { tenantId: id, userId });
      await run('users:revoke-session', { tenantId: id, userId, sessionId: 'sess_walk1', guard });
      await run('users:revoke-refresh-token', { tenantId: id, userId, tokenId: 'rt_walk1', guard });
      await run('users:revoke-grant', { tenantId: id, userId, grantId: 'cgr_walk1', guard });
      await run('users:delete-authentication-method', { tenantId: id, userId, methodId: 'totp|walk', guard });
      await run('users:revoke-sessions', { tenantId: id, userId, guard });
      await run('users:revoke-refresh-tokens', { tenantId: id, userId, guard });
      await run('users:revoke-grants', { tenantId: id, userId, guard });
      await run('users:sign-out-everywhere', {
        tenantId: id,
        userId,
        options: { block: false, mfaReset: false, grants: false, password: 'none' },
        guard,
      });
    }
    await run('logs:search', { tenantId: id, q: 'type:sapi' });
    const checkpoint = (await call('logs:checkpoint', { tenantId: id, take: 5 })) as {
      ok: true;
      data: { logs: { log_id: string }[] };
    };
    visited.add('logs:checkpoint');
    await run('logs:get', { tenantId: id, logId: checkpoint.data.logs[0]!.log_id });
    await run('prefs:set', { key: 'table:users:walk:sizes', value: { email: 300 } });
    await run('prefs:get', {});
    await run('users:delete', { tenantId: id, userId, guard });

    // Bulk edits: a plan, its items, a job (paused, resumed), its outcomes, a retry and an undo plan, and a
    // delete plan whose users are saved first. On this production tenant a start wants the domain and the count.
    const others = [...t.emu.store.users.values()].filter((u) => u.user_id !== userId).slice(0, 4);
    const broken = others[0]!.user_id;
    t.emu.store.faults = [
      { method: 'PATCH', path: new RegExp(`${encodeURIComponent(broken)}$`), status: 400, times: 1 },
    ];
    const planned = (await call('bulk:plan', {
      tenantId: id,
      planId: 'router-walk-plan-1',
      source: { kind: 'users', userIds: others.map((u) => u.user_id) },
      change: { kind: 'metadata', metadata: 'app_metadata', set: { walked_in_bulk: true } },
    })) as { ok: true; data: { planId: string; willChange: number } };
    visited.add('bulk:plan');
    await run('bulk:plan-items', { planId: planned.data.planId });
    await run('bulk:plan-summary', { planId: planned.data.planId });
    const job = (await call('bulk:start', {
      planId: planned.data.planId,
      guard: { ...guard, typedCount: planned.data.willChange },
    })) as { ok: true; data: { id: string } };
    visited.add('bulk:start');
    await run('tasks:control', { taskId: job.data.id, action: 'pause' });
    await call('tasks:control', { taskId: job.data.id, action: 'resume' });
    for (let s = 'running'; s === 'running'; await new Promise((r) => setTimeout(r, 50)))
      s = (
        (await app.router.invoke('tasks:get', { taskId: job.data.id })) as {
          ok: true;
          data: { status: string };
        }
      ).data.status;
    t.emu.store.faults = [];
    await run('tasks:get', { taskId: job.data.id });
    await run('tasks:list', { tenantId: id });
    await run('jobs:items', { jobId: job.data.id });
    await run('tasks:results', { taskId: job.data.id });
    await run('jobs:retry-plan', { jobId: job.data.id, planId: 'router-walk-plan-2' });
    await run('jobs:undo-plan', { jobId: job.data.id, planId: 'router-walk-plan-3' });
    await run('bulk:cancel-plan', { planId: 'router-walk-plan-3' });
    const doomed = [...t.emu.store.users.values()].find((u) => u.email === 'walker@example.net')!;
    await call('bulk:plan', {
      tenantId: id,
      planId: 'router-walk-plan-4',
      source: { kind: 'users', userIds: [doomed.user_id] },
      change: { kind: 'delete' },
    });
    await run('bulk:save-users', { planId: 'router-walk-plan-4' });
    // Exports and snapshots: exports kept as snapshots, searched, opened, compared, exported, a file opened as one.
    const exportDone = async (exportId: string) => {
      for (;;) {
        const last = events
          .map((e) => exportProgress(e.event, e.payload))
          .filter((s) => s?.exportId === exportId)
          .at(-1);
        if (last && ['completed', 'failed', 'cancelled'].includes(last.phase)) return last;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const exportPayload = (exportId: string) => ({
      tenantId: id,
      exportId,
      source: { kind: 'tenant' },
      format: 'csv',
      fields: [{ name: 'user_id' }, { name: 'app_metadata' }],
      keepSnapshot: true,
    });
    await run('exports:start', exportPayload('router-walk-export-1'));
    const snapA = (await exportDone('router-walk-export-1')).snapshot!.id;
    await call('exports:start', exportPayload('router-walk-export-2'));
    const snapB = (await exportDone('router-walk-export-2')).snapshot!.id;
    await call('exports:start', { ...exportPayload('router-walk-export-3'), format: 'xlsx' });
    await run('tasks:control', { taskId: 'router-walk-export-3', action: 'cancel' });
    await exportDone('router-walk-export-3');
    await run('snapshots:list', {});
    await run('snapshots:search', { snapshotId: snapA, q: 'email:*' });
    await run('insights:snapshot-chart', { snapshotId: snapA, chart: 'verified' });
    await run('insights:live-chart', { tenantId: id, chart: 'blocked' });
    await run('snapshots:user', { snapshotId: snapA, userId: [...t.emu.store.users.values()][1]!.user_id });
    const compared = (await call('snapshots:compare', { before: snapA, after: snapB })) as {
      ok: true;
      data: { compareId: string };
    };
    visited.add('snapshots:compare');
    await run('snapshots:compare-items', { compareId: compared.data.compareId, kind: 'changed' });
    await run('snapshots:compare-export', { compareId: compared.data.compareId });
    await run('snapshots:export', {
      snapshotId: snapA,
      exportId: 'router-walk-export-4',
      q: '',
      format: 'ndjson',
      fields: [{ name: 'user_id' }],
    });
    await exportDone('router-walk-export-4');
    await run('reviews:start', {
      reviewId: 'router-walk-review-1',
      snapshotId: snapB,
      previousId: snapA,
      format: 'html',
    });
    await exportDone('router-walk-review-1');
    const text = '{"user_id":"auth0|walked","email":"walked@example.com"}\n';
    const up = (await call('uploads:begin', { name: 'walk.ndjson', bytes: Buffer.byteLength(text) })) as {
      ok: true;
      data: { uploadId: string };
    };
    visited.add('uploads:begin');
    await run('uploads:chunk', {
      uploadId: up.data.uploadId,
      offset: 0,
      data: Buffer.from(text).toString('base64'),
    });
    await run('uploads:finish', { uploadId: up.data.uploadId });
    await run('snapshots:open-file', {
      exportId: 'router-walk-import-1',
      uploadId: up.data.uploadId,
      label: 'Walked',
    });
    await exportDone('router-walk-import-1');
    await run('snapshots:delete', { snapshotId: snapB });

    // Organizations: one made, renamed, its members and their roles, an invitation, then deleted.
    {
      const org = (await call('orgs:create', { tenantId: id, name: 'walked-org', guard })) as {
        ok: true;
        data: { id: string };
      };
      visited.add('orgs:create');
      const orgId = org.data.id;
      await run('orgs:list', { tenantId: id, nameFilter: 'walked' });
      await run('orgs:update', { tenantId: id, orgId, displayName: 'Walked', guard });
      const member = others[1]!.user_id;
      await run('orgs:add-members', { tenantId: id, orgId, userIds: [member], guard });
      const role = [...t.emu.store.roles.keys()][0]!;
      await run('orgs:assign-member-roles', { tenantId: id, orgId, userId: member, roleIds: [role], guard });
      await run('orgs:members', { tenantId: id, orgId });
      await run('orgs:get', { tenantId: id, orgId });
      await run('users:organizations', { tenantId: id, userId: member });
      await run('orgs:export-members', { tenantId: id, orgId });
      await run('orgs:remove-member-roles', { tenantId: id, orgId, userId: member, roleIds: [role], guard });
      const clients = (await call('clients:list', { tenantId: id })) as {
        ok: true;
        data: { clientId: string; appType?: string }[];
      };
      visited.add('clients:list');
      const app = clients.data.find((c) => c.appType !== 'non_interactive')!;
      const inv = (await call('orgs:create-invitation', {
        tenantId: id,
        orgId,
        inviter: 'Walker',
        email: 'walked.invitee@example.net',
        clientId: app.clientId,
        sendEmail: false,
        guard,
      })) as { ok: true; data: { invitation: { id: string } } };
      visited.add('orgs:create-invitation');
      await run('orgs:invitations', { tenantId: id, orgId });
      await run('orgs:revoke-invitation', {
        tenantId: id,
        orgId,
        invitationId: inv.data.invitation.id,
        guard,
      });
      await run('orgs:remove-members', { tenantId: id, orgId, userIds: [member], guard });
      await run('orgs:delete', { tenantId: id, orgId, guard });
    }

    // Roles administration, an import, and work across tenants (the tenant with itself is refused, so two profiles).
    const made = (await call('roles:create', { tenantId: id, name: 'Walked role', guard })) as {
      ok: true;
      data: { id: string };
    };
    visited.add('roles:create');
    const roleId = made.data.id;
    await run('roles:list', { tenantId: id });
    await run('roles:get', { tenantId: id, roleId });
    await run('roles:update', { tenantId: id, roleId, description: 'walked', guard });
    const members = others.slice(1, 3).map((u) => u.user_id);
    await run('roles:add-members', { tenantId: id, roleId, userIds: members, guard });
    await run('roles:members', { tenantId: id, roleId });
    await run('roles:export-members', { tenantId: id, roleId });
    await run('roles:remove-members', { tenantId: id, roleId, userIds: [members[0]], guard });
    const apis = (await call('resource-servers:list', { tenantId: id })) as {
      ok: true;
      data: { identifier: string; isSystem: boolean; scopes: { value: string }[] }[];
    };
    visited.add('resource-servers:list');
    const api = apis.data.find((x) => !x.isSystem)!;
    const permission = { resourceServer: api.identifier, name: api.scopes[0]!.value };
    await run('roles:add-permissions', { tenantId: id, roleId, permissions: [permission], guard });
    await run('roles:remove-permissions', { tenantId: id, roleId, permissions: [permission], guard });
    await run('roles:delete', { tenantId: id, roleId, guard });
    const connection = (
      (await call('connections:list', { tenantId: id })) as {
        ok: true;
        data: { id: string; isDatabase: boolean }[];
      }
    ).data.find((c) => c.isDatabase)!;
    const csv = 'email,given_name\nwalked.import@example.net,Walked\n';
    const upload = (await call('uploads:begin', { name: 'walk.csv', bytes: csv.length })) as {
      ok: true;
      data: { uploadId: string };
    };
    await call('uploads:chunk', {
      uploadId: upload.data.uploadId,
      offset: 0,
      data: Buffer.from(csv).toString('base64'),
    });
    await call('uploads:finish', { uploadId: upload.data.uploadId });
    const importId = 'imp_00000000000000aa';
    await run('imports:prepare', {
      tenantId: id,
      importId,
      uploadId: upload.data.uploadId,
      fileName: 'walk.csv',
      connectionId: connection.id,
    });
    await run('imports:start', { importId, guard: { ...guard, typedCount: 1 } });
    for (let s = 'running'; s === 'running'; await new Promise((r) => setTimeout(r, 50)))
      s = (
        (await app.router.invoke('tasks:get', { taskId: importId })) as { ok: true; data: { status: string } }
      ).data.status;
    await run('imports:failures', { importId });
    await run('imports:template', { tenantId: id, connectionId: connection.id, format: 'csv' });
    // Neither running nor interrupted: both are refused in words.
    await call('tasks:control', { taskId: importId, action: 'cancel' });
    await call('tasks:control', { taskId: importId, action: 'resume' });
    const twin = (await call('tenants:add', {
      label: 'Walk twin',
      domain: t.emu.domain,
      clientId: admin.clientId,
      environment: 'development',
      color: '#445566',
      caCert: t.emu.caCert,
      secret: admin.clientSecret,
      secretStorage: 'session',
    })) as { ok: true; data: TenantProfile };
    await run('cross:search', { tenantIds: [id, twin.data.id], q: 'email:*' });
    await run('cross:compare', {
      runId: 'router-walk-cross',
      tenantA: id,
      tenantB: twin.data.id,
      fields: ['name'],
    });
    await run('cross:find-organizations', { tenantIds: [id, twin.data.id], name: 'acme' });
    await run('cross:compare-organizations', {
      runId: 'router-walk-cross-orgs',
      tenantA: id,
      tenantB: twin.data.id,
    });

    const failures = answers.filter((a) => !(a as { ok: boolean }).ok) as {
      error: { incidentId?: string; code: string };
    }[];
    // Only the deliberate wrong secret above fails — with an incident id that the diagnostics log holds too — and
    // the cancel and resume of a finished import, refused in words.
    expect(failures.map((f) => f.error.code)).toEqual(['unauthorized', 'validation', 'validation']);
    expect(failures[0]!.error.incidentId).toMatch(/^TD-[0-9A-F]{10}$/);
    expect(readFileSync(join(dataDir, 'logs', 'tenant-desk.log'), 'utf8')).toContain(
      failures[0]!.error.incidentId,
    );

    await run('tenants:remove-secret', { id, guard });
    await run('tenants:remove', { id, guard });
    visited.add('tenants:add');
    visited.add('local-tenant:start');
    expect([...visited].sort()).toEqual([...channelNames].sort());

    const localTenantSecret = await keychainSecret(sandbox.data.id);
    expect(localTenantSecret).toBeTruthy();
    const tokens = app.tenants.tokens();
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    const forbidden = [
      admin.clientSecret!,
      jwt.privateKey!,
      'wrong-secret-on-purpose',
      localTenantSecret!,
      ...tokens,
    ];
    const everything = JSON.stringify({ answers, events });
    expect(events.length).toBeGreaterThan(0);
    for (const secret of forbidden) expect(everything.includes(secret)).toBe(false);
    expect(everything).not.toMatch(/PRIVATE KEY/);
    expect(everything).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./);
    // Nor on disk, outside the keychain.
    const disk =
      readFileSync(join(dataDir, 'tenants.json'), 'utf8') +
      readFileSync(join(dataDir, 'audit.jsonl'), 'utf8') +
      readFileSync(join(dataDir, 'logs', 'tenant-desk.log'), 'utf8');
    for (const secret of forbidden) expect(disk.includes(secret)).toBe(false);
    // Nor in a snapshot (its users read back: DuckDB compresses the text it stores) or an exported file.
    const snapshots = readdirSync(join(dataDir, 'snapshots')).filter((f) => f.endsWith('.duckdb'));
    expect(snapshots.length).toBeGreaterThan(0);
    for (const f of snapshots) {
      const reader = await SnapshotReader.open(join(dataDir, 'snapshots', f));
      try {
        let users = 0;
        for await (const u of reader.matching('')) {
          const text = JSON.stringify(u);
          for (const secret of forbidden) expect(text.includes(secret), f).toBe(false);
          users++;
        }
        expect(users, f).toBe(reader.count);
      } finally {
        await reader.close();
      }
    }
    const files = readdirSync(join(dataDir, 'downloads')).map((f) => join(dataDir, 'downloads', f));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of forbidden) expect(bytes.includes(secret), file).toBe(false);
    }
    // The local tenant's own data (snapshot and journal, saved on close) holds no client secret either.
    await app.close();
    const localTenantData = readFileSync(join(dataDir, 'local-tenant', 'tenant.json'), 'utf8');
    const journal = readFileSync(join(dataDir, 'local-tenant', 'tenant.json.journal'), 'utf8');
    expect(journal.includes(localTenantSecret!)).toBe(false);
    expect(localTenantData.includes(localTenantSecret!)).toBe(false);
    expect(JSON.parse(localTenantData).clients).toEqual([]);
  });
});
