// The operation registry: every write Tenant Desk makes is one registered object with all its parts, the window's
// bulk choices name the operation that carries each out, and each bulk operation — run as a job on the local tenant —
// does what its plan says, reads back as applied (or says why it can't be read), plans nothing more once done, and,
// where the contract calls it undoable, is undone by its inverse.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BULK_CHANGES,
  capabilityNames,
  needsOf,
  writeChannels,
  type AuditEntry,
  type BulkChange,
  type BulkChangeKind,
  type BulkPlanSummary,
  type JobItem,
  type JobSummary,
  type TaskSummary,
  type TenantProfile,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { CAPABILITY_ENDPOINTS, ENDPOINT_SCOPES } from '../../main/auth0/capabilities.js';
import { callOf } from '../../main/jobs/bulk-ops.js';
import { riskOf } from '../../main/operations/operation.js';
import { OPERATIONS, operationFor, operationNamed } from '../../main/operations/registry.js';
import { SessionVault } from '../../main/vault/index.js';
import { orgMemberKey } from '../../emulator/store.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

describe('the operation registry', () => {
  it('lists each write once, each with every part', () => {
    const names = OPERATIONS.map((o) => o.name);
    console.log(`operations: ${names.join(', ')}`);
    expect(new Set(names).size).toBe(names.length);
    for (const op of OPERATIONS) {
      const at = op.name;
      expect(at).toMatch(/^(user|role|import|org)\.[a-z-]+$/);
      // Its input schema.
      expect(typeof op.input.safeParse, at).toBe('function');
      // Its risk: a write channel of the contract (for a risk that depends on the input, both sides of it).
      const risks =
        typeof op.risk === 'function'
          ? [riskOf(op, { add: ['r'], remove: [] }), riskOf(op, { add: [], remove: ['r'] })]
          : [op.risk];
      for (const risk of risks) {
        expect(writeChannels, at).toContain(risk);
        // The contract gives the channel the same capability: what the window's buttons and palette check.
        expect(needsOf(risk), `${at}: ${risk} needs`).toBe(op.needs);
      }
      // The scopes it needs, through the capability map.
      expect(capabilityNames, at).toContain(op.needs);
      const scopes = CAPABILITY_ENDPOINTS[op.needs].map((e) => ENDPOINT_SCOPES[e]);
      expect(scopes.length, at).toBeGreaterThan(0);
      // Its audit name.
      expect(typeof op.action === 'string' || typeof op.action === 'function', at).toBe(true);
      expect(typeof op.target, at).toBe('function');
      expect(typeof op.mayRepeat, at).toBe('boolean');
      // How it is applied, and read back after a crash (or why it can't be).
      expect(typeof op.apply, at).toBe('function');
      if (typeof op.readBack === 'function') expect(op.readBack.length, at).toBe(2);
      else expect(op.readBack.cannot.length, at).toBeGreaterThan(30);
      // A write that may not repeat is one that leaves something new each time: an email, a link, an import part,
      // a role or an organization created, a role deleted, an invitation (a lost answer must not make a second).
      if (!op.mayRepeat)
        expect(
          [
            'user.send-verification-email',
            'user.password-ticket',
            'user.reset-email',
            'role.create',
            'role.delete',
            'import.chunk',
            'org.create',
            'org.create-invitation',
          ],
          at,
        ).toContain(at);
    }
  });

  it("carries out each of the bulk form's changes with one operation, undoable exactly where the contract says", () => {
    for (const kind of Object.keys(BULK_CHANGES) as BulkChangeKind[]) {
      const entry = BULK_CHANGES[kind];
      const op = operationFor(kind);
      expect(op.name, kind).toBe(entry.operation);
      expect(op.needs, kind).toBe(entry.needs);
      expect(typeof op.bulk.plan, kind).toBe('function');
      expect(typeof op.bulk.params.safeParse, kind).toBe('function');
      expect(typeof op.bulk.inverse === 'function', `${kind}: an inverse exactly when undoable`).toBe(
        entry.undoable,
      );
    }
    // No operation claims a change nobody offers.
    for (const op of OPERATIONS)
      for (const kind of op.bulk?.kinds ?? []) expect(BULK_CHANGES[kind].operation).toBe(op.name);
  });

  it("reads a job planned by an earlier version as the same operations, and refuses a line that isn't as planned", () => {
    expect(callOf({ op: 'metadata', kind: 'app_metadata', changes: { a: 1 } }, { a: null })).toEqual({
      name: 'user.update-metadata',
      params: { kind: 'app_metadata', changes: { a: 1 }, expected: { a: null } },
    });
    expect(callOf({ op: 'roles', add: ['r1'], remove: [] }, { roles: [] })).toEqual({
      name: 'user.change-roles',
      params: { add: ['r1'], remove: [], expected: [] },
    });
    expect(callOf({ op: 'set-blocked', blocked: true }, {})).toEqual({
      name: 'user.set-blocked',
      params: { blocked: true, expected: false },
    });
    expect(callOf({ op: 'password-link', ttlSec: 60 }, undefined)).toEqual({
      name: 'user.password-ticket',
      params: { ttlSec: 60 },
    });
    expect(() => callOf({ name: 'user.set-blocked', params: { blocked: 'yes' } }, undefined)).toThrow(
      /not as planned/,
    );
    expect(() => callOf({ name: 'role.create', params: {} }, undefined)).toThrow(/don't run/);
    expect(() => callOf({ op: 'format-disk' }, undefined)).toThrow(/does not know/);
  });

  it('finds the writes an earlier version recorded by their old names', () => {
    expect(operationNamed('bulk.merge-metadata')?.name).toBe('user.update-metadata');
    expect(operationNamed('user.remove-roles')?.name).toBe('user.change-roles');
    expect(operationNamed('user.mark-email-verified')?.name).toBe('user.set-email-verified');
    expect(operationNamed('no.such-thing')).toBeUndefined();
  });
});

describe('each bulk operation on the local tenant', () => {
  let t: TestTenant;
  let app: App;
  let tenant: TenantProfile;
  let planNo = 0;
  let userNo = 0;
  /** The organization the organization changes are made in. */
  let orgId = '';

  beforeAll(async () => {
    t = await startTestTenant({ users: 30, seed: 'operations' });
    app = await createApp({
      dataDir: mkdtempSync(join(tmpdir(), 'td-operations-')),
      host: 'browser',
      version: 'test',
      vault: new SessionVault(),
      jobRetryDelayMs: 20,
    });
    orgId = (await t.client().organizations.create({ name: 'operations-org' })).id!;
    const admin = t.emu.clients.find((c) => c.name === 'admin')!;
    tenant = await call<TenantProfile>('tenants:add', {
      label: 'Operations',
      domain: t.emu.domain,
      clientId: admin.clientId,
      environment: 'development',
      color: '#123456',
      caCert: t.emu.caCert,
      secret: admin.clientSecret,
      secretStorage: 'session',
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  async function call<T>(channel: string, payload: unknown): Promise<T> {
    const r = await app.router.invoke(channel, payload);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.data as T;
  }

  /** A fresh database user, set up as the case needs it. */
  async function freshUser(setup?: (userId: string) => Promise<void> | void): Promise<string> {
    const user = await t.client().users.create({
      connection: 'Username-Password-Authentication',
      email: `op-${++userNo}@example.org`,
      password: 'Op-Pass-12345',
      email_verified: false,
    });
    await setup?.(user.user_id!);
    return user.user_id!;
  }

  async function runJob(change: BulkChange, userId: string) {
    const plan = await call<BulkPlanSummary>('bulk:plan', {
      tenantId: tenant.id,
      planId: `plan-op-${String(++planNo).padStart(4, '0')}`,
      source: { kind: 'users', userIds: [userId] },
      change,
    });
    if (plan.willChange === 0) return { plan, job: null };
    let job = await call<JobSummary>('bulk:start', { planId: plan.planId });
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      job = ((await call<TaskSummary>('tasks:get', { taskId: job.id })).detail as { job: JobSummary }).job;
    }
    return { plan, job };
  }

  const user = (id: string) => t.emu.store.users.get(id);
  const role = () => [...t.emu.store.roles.values()][0]!.id;
  const holds = (id: string, r: string) => t.emu.store.roleUsers.get(r)?.has(id) ?? false;

  /** A session, a refresh token bound to it and a consent, as the local tenant seeds them. */
  function giveAccess(id: string): void {
    const now = new Date().toISOString();
    const device = {
      initial_user_agent: 'UA',
      initial_ip: '192.0.2.1',
      initial_asn: '1',
      last_user_agent: 'UA',
      last_ip: '192.0.2.1',
      last_asn: '1',
    };
    const sid = `sess_${id.slice(-8)}`;
    t.emu.store.sessions.set(id, [
      {
        id: sid,
        user_id: id,
        created_at: now,
        updated_at: now,
        authenticated_at: now,
        idle_expires_at: now,
        expires_at: now,
        last_interacted_at: now,
        device,
        clients: [{ client_id: 'app' }],
        authentication: { methods: [{ name: 'pwd', timestamp: now }] },
      },
    ]);
    t.emu.store.refreshTokens.set(id, [
      {
        id: `rt_${id.slice(-8)}`,
        user_id: id,
        created_at: now,
        device,
        client_id: 'app',
        session_id: sid,
        rotating: true,
        resource_servers: [],
      },
    ]);
    t.emu.store.grants.set(id, [
      {
        id: `cgr_${id.slice(-8)}`,
        clientID: 'app',
        user_id: id,
        audience: 'https://api.example',
        scope: ['openid'],
      },
    ]);
  }

  /** Each kind: how its user is set up, what shows it done, and (undoable) what shows it undone. */
  const CASES: {
    change: () => BulkChange;
    setup?: (id: string) => Promise<void> | void;
    done: (id: string) => boolean;
    undone?: (id: string) => boolean;
  }[] = [
    {
      change: () => ({ kind: 'metadata', metadata: 'app_metadata', set: { tier: 'gold' }, remove: [] }),
      done: (id) => (user(id)?.app_metadata as Record<string, unknown> | undefined)?.tier === 'gold',
      undone: (id) => !('tier' in ((user(id)?.app_metadata as object | undefined) ?? {})),
    },
    {
      change: () => ({ kind: 'roles', add: [role()], remove: [] }),
      done: (id) => holds(id, role()),
      undone: (id) => !holds(id, role()),
    },
    {
      change: () => ({ kind: 'block' }),
      done: (id) => user(id)?.blocked === true,
      undone: (id) => !user(id)?.blocked,
    },
    {
      change: () => ({ kind: 'unblock' }),
      setup: async (id) => void (await t.client().users.update(id, { blocked: true })),
      done: (id) => !user(id)?.blocked,
      undone: (id) => user(id)?.blocked === true,
    },
    {
      change: () => ({ kind: 'mark-verified' }),
      done: (id) => user(id)?.email_verified === true,
      undone: (id) => user(id)?.email_verified === false,
    },
    {
      change: () => ({ kind: 'brute-force-unblock' }),
      setup: (id) => void t.emu.store.blocks.set(id, [{ identifier: 'op@example.org', ip: '10.0.0.9' }]),
      done: (id) => (t.emu.store.blocks.get(id) ?? []).length === 0,
    },
    {
      change: () => ({ kind: 'verification-email' }),
      done: (id) => t.emu.store.outbox.some((m) => m.to === user(id)?.email),
    },
    {
      change: () => ({ kind: 'mfa-reset' }),
      setup: (id) =>
        void t.emu.store.authenticationMethods.set(id, [
          {
            id: 'totp|op',
            type: 'totp',
            confirmed: true,
            created_at: new Date().toISOString(),
            authentication_methods: [],
          },
        ]),
      done: (id) => (t.emu.store.authenticationMethods.get(id) ?? []).length === 0,
    },
    {
      change: () => ({ kind: 'forget-browsers' }),
      done: (id) =>
        t.emu.store.logs.some(
          (l) => l.description === 'Invalidate all remembered browsers for MFA' && l.user_id === id,
        ),
    },
    {
      change: () => ({ kind: 'password-link', ttlSec: 3600 }),
      done: (id) => [...t.emu.store.tickets.values()].some((k) => k.user_id === id),
    },
    { change: () => ({ kind: 'delete' }), done: (id) => !user(id) },
    {
      change: () => ({ kind: 'revoke-sessions' }),
      setup: (id) => giveAccess(id),
      done: (id) => !t.emu.store.sessions.has(id) && t.emu.store.refreshTokens.has(id),
    },
    {
      change: () => ({ kind: 'revoke-refresh-tokens' }),
      setup: (id) => giveAccess(id),
      done: (id) => !t.emu.store.refreshTokens.has(id) && t.emu.store.sessions.has(id),
    },
    {
      change: () => ({ kind: 'revoke-grants' }),
      setup: (id) => giveAccess(id),
      done: (id) => !t.emu.store.grants.has(id) && t.emu.store.sessions.has(id),
    },
    {
      change: () => ({ kind: 'org-add', orgId }),
      done: (id) => t.emu.store.orgMembers.get(orgId)?.has(id) ?? false,
      undone: (id) => !(t.emu.store.orgMembers.get(orgId)?.has(id) ?? false),
    },
    {
      change: () => ({ kind: 'org-remove', orgId }),
      setup: async (id) => {
        await t.client().organizations.members.create(orgId, { members: [id] });
        await t.client().organizations.members.roles.assign(orgId, id, { roles: [role()] });
      },
      done: (id) => !(t.emu.store.orgMembers.get(orgId)?.has(id) ?? false),
      // Undone: a member again, with the organization role held before.
      undone: (id) =>
        (t.emu.store.orgMembers.get(orgId)?.has(id) ?? false) &&
        (t.emu.store.orgMemberRoles.get(orgMemberKey(orgId, id))?.has(role()) ?? false),
    },
    {
      change: () => ({ kind: 'org-roles', orgId, add: [role()], remove: [] }),
      setup: async (id) => void (await t.client().organizations.members.create(orgId, { members: [id] })),
      done: (id) => t.emu.store.orgMemberRoles.get(orgMemberKey(orgId, id))?.has(role()) ?? false,
      undone: (id) => !(t.emu.store.orgMemberRoles.get(orgMemberKey(orgId, id))?.has(role()) ?? false),
    },
    {
      change: () => ({ kind: 'sign-out-everywhere' }),
      setup: (id) => giveAccess(id),
      done: (id) =>
        !t.emu.store.sessions.has(id) && !t.emu.store.refreshTokens.has(id) && t.emu.store.grants.has(id),
    },
  ];

  it('covers every change the bulk form offers', () => {
    expect(CASES.map((c) => c.change().kind).sort()).toEqual(Object.keys(BULK_CHANGES).sort());
  });

  for (const [n, kind] of (Object.keys(BULK_CHANGES) as BulkChangeKind[]).entries()) {
    it(`${kind}: planned, applied once, read back, planned no more${BULK_CHANGES[kind].undoable ? ', undone' : ''}`, async () => {
      const c = CASES.find((x) => x.change().kind === kind)!;
      expect(c, `case ${n}`).toBeDefined();
      const id = await freshUser(c.setup);
      const op = operationFor(kind);
      const api = {
        profile: app.tenants.stored(tenant.id),
        connection: app.tenants.connection(tenant.id),
        management: app.tenants.connection(tenant.id).management,
      };
      const { plan, job } = await runJob(c.change(), id);
      expect(plan.willChange, kind).toBe(1);
      expect(job?.status, kind).toBe('completed');
      expect(job?.counts.done, kind).toBe(1);
      await expect.poll(() => c.done(id), { message: `${kind}: the tenant shows it done` }).toBe(true);

      // The job's write is one audit entry of this operation.
      const audit = await call<AuditEntry[]>('audit:list', { tenantId: tenant.id, limit: 50 });
      const entry = audit.find((e) => e.jobId === job!.id && e.op === op.name);
      expect(entry?.outcome, `${kind}: audited as ${op.name}`).toBe('success');

      // Read back as a restarted job would: applied, or why it can't be told.
      const items = await call<{ items: JobItem[] }>('jobs:items', { jobId: job!.id, offset: 0, limit: 10 });
      expect(items.items[0]?.state).toBe('done');
      if (typeof op.readBack === 'function') {
        const lines = await app.jobs.planLines(job!.id);
        const params = lines[0]!.op!.params;
        const read = await op.readBack(api, {
          target: id,
          intent: op.intent?.({ ...params, tenantId: tenant.id, userId: id }, undefined),
          before: lines[0]!.b,
          time: new Date().toISOString(),
        });
        expect(read.resolution, `${kind}: read back`).toBe('applied');
      } else expect(op.readBack.cannot.length).toBeGreaterThan(10);

      // Planned again, nothing is left to send where the change leaves a state to see.
      if (BULK_CHANGES[kind].undoable) {
        const again = await runJob(c.change(), id);
        expect(again.plan.willChange, `${kind}: planned again`).toBe(0);
      }

      if (BULK_CHANGES[kind].undoable) {
        const undo = await call<BulkPlanSummary>('jobs:undo-plan', {
          jobId: job!.id,
          planId: `plan-op-undo-${String(++planNo).padStart(4, '0')}`,
        });
        expect(undo.willChange, `${kind}: undo plans the user`).toBe(1);
        let undoJob = await call<JobSummary>('bulk:start', { planId: undo.planId });
        while (undoJob.status === 'running') {
          await new Promise((r) => setTimeout(r, 50));
          undoJob = (
            (await call<TaskSummary>('tasks:get', { taskId: undoJob.id })).detail as { job: JobSummary }
          ).job;
        }
        expect(undoJob.counts.done, kind).toBe(1);
        expect(c.undone!(id), `${kind}: undone`).toBe(true);
      }
    });
  }
});
