// The production guard in main, channel by channel and environment by environment: what each write needs, that a
// write without it is refused with nothing sent to the tenant and nothing changed on disk, and that every refusal is
// audited. The expected table is written out here, so a silent change of the policy fails this test.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  guardLevel,
  writeChannels,
  type AuditEntry,
  type Environment,
  type GuardLevel,
  type ResourceServerSummary,
  type TenantProfile,
  type WriteChannel,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { OPERATIONS } from '../../main/operations/registry.js';
import { SessionVault } from '../../main/vault/index.js';
import { APPLICATIONS } from '../../emulator/clients.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
let app: App;
let dataDir: string;
const environments: Environment[] = ['production', 'staging', 'development', 'custom'];

/**
 * What each operation needs on a production tenant, for each way the window asks for it (no other environment asks
 * anything): keyed by the operation registry, so an operation added without its line here fails the first test.
 */
const BY_OPERATION: Record<string, [string, WriteChannel, GuardLevel][]> = {
  'user.create': [['create', 'users:create', 'confirm']],
  'user.update-metadata': [['metadata', 'users:update-metadata', 'confirm']],
  'user.update-profile': [['profile', 'users:update-profile', 'confirm']],
  'user.set-blocked': [
    ['block', 'users:set-blocked', 'typed-domain'],
    ['unblock', 'users:set-blocked', 'confirm'],
  ],
  'user.unblock-brute-force': [['brute-force unblock', 'users:unblock-brute-force', 'confirm']],
  'user.delete': [['delete', 'users:delete', 'typed-domain']],
  'user.set-email-verified': [['verify email', 'users:set-email-verified', 'confirm']],
  'user.send-verification-email': [['verification email', 'users:send-verification-email', 'confirm']],
  'user.password-ticket': [['password link', 'users:password-ticket', 'confirm']],
  'user.reset-email': [['reset email', 'users:reset-email', 'confirm']],
  'user.set-password': [['set password', 'users:set-password', 'typed-domain']],
  'user.mfa-reset': [['MFA reset', 'users:mfa-reset', 'typed-domain']],
  'user.invalidate-remember-browser': [['forget browsers', 'users:invalidate-remember-browser', 'confirm']],
  'user.change-roles': [
    ['assign role', 'users:assign-roles', 'confirm'],
    ['remove role', 'users:remove-roles', 'typed-domain'],
    ['remove members', 'roles:remove-members', 'typed-domain'],
  ],
  'role.create': [['create role', 'roles:create', 'confirm']],
  'role.update': [['describe role', 'roles:update', 'confirm']],
  'role.delete': [['delete role', 'roles:delete', 'typed-domain']],
  'role.add-members': [['add members', 'roles:add-members', 'confirm']],
  'role.add-permissions': [['add permissions', 'roles:add-permissions', 'confirm']],
  'role.remove-permissions': [['remove permissions', 'roles:remove-permissions', 'typed-domain']],
  'user.revoke-session': [['revoke session', 'users:revoke-session', 'confirm']],
  'user.revoke-sessions': [['revoke sessions', 'users:revoke-sessions', 'confirm']],
  'user.revoke-refresh-token': [['revoke refresh token', 'users:revoke-refresh-token', 'confirm']],
  'user.revoke-refresh-tokens': [['revoke refresh tokens', 'users:revoke-refresh-tokens', 'confirm']],
  'user.revoke-grant': [['revoke consent', 'users:revoke-grant', 'confirm']],
  'user.revoke-grants': [['revoke consents', 'users:revoke-grants', 'confirm']],
  'user.delete-authentication-method': [
    ['remove MFA method', 'users:delete-authentication-method', 'typed-domain'],
  ],
  'org.create': [['create org', 'orgs:create', 'confirm']],
  'org.update': [['rename org', 'orgs:update', 'confirm']],
  'org.delete': [['delete org', 'orgs:delete', 'typed-domain']],
  'org.add-member': [['add org members', 'orgs:add-members', 'confirm']],
  'org.remove-member': [['remove org members', 'orgs:remove-members', 'typed-domain']],
  'org.change-member-roles': [
    ['give org role', 'orgs:assign-member-roles', 'confirm'],
    ['take org role', 'orgs:remove-member-roles', 'typed-domain'],
  ],
  'org.create-invitation': [['invite', 'orgs:create-invitation', 'confirm']],
  'org.revoke-invitation': [['revoke invitation', 'orgs:revoke-invitation', 'confirm']],
  // Bulk edits' "sign out everywhere"; one user's is the incident response below (INCIDENT).
  'user.sign-out': [],
  // Each part of an import is judged with the whole import, once, when it starts (imports.test.ts).
  'import.chunk': [],
};

/** The incident response: judged once, then its steps run as the operations above (incident.test.ts). */
const INCIDENT: [string, WriteChannel, GuardLevel][] = [
  ['sign out everywhere', 'users:sign-out-everywhere', 'typed-domain'],
];

/** Writes to the console's own tenant profiles (not to a tenant): guarded the same way. */
const PROFILE_WRITES: [string, WriteChannel, GuardLevel][] = [
  ['rename', 'tenants:update', 'none'],
  ['retag', 'tenants:update', 'typed-domain'],
  ['new client', 'tenants:update', 'typed-domain'],
  ['new secret', 'tenants:set-secret', 'confirm'],
  ['forget secret', 'tenants:remove-secret', 'confirm'],
  ['remove profile', 'tenants:remove', 'confirm'],
];

const ON_PRODUCTION: [string, WriteChannel, GuardLevel][] = [
  ...PROFILE_WRITES,
  ...INCIDENT,
  ...Object.values(BY_OPERATION).flat(),
];
/** The operation each case runs, as its audit entries record it. */
const operationOf = new Map(
  Object.entries(BY_OPERATION).flatMap(([op, cases]) => cases.map(([name]) => [name, op] as const)),
);

beforeAll(async () => {
  t = await startTestTenant({ users: 400, seed: 'guard' });
  dataDir = mkdtempSync(join(tmpdir(), 'td-guard-'));
  app = await createApp({ dataDir, host: 'browser', version: 'test', vault: new SessionVault() });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

async function invoke(channel: string, payload: unknown) {
  return app.router.invoke(channel, payload);
}

async function addTenant(environment: Environment, label: string): Promise<TenantProfile> {
  const admin = t.emu.clients.find((c) => c.name === 'admin')!;
  const r = await invoke('tenants:add', {
    label,
    domain: t.emu.domain,
    clientId: admin.clientId,
    environment,
    color: '#123456',
    caCert: t.emu.caCert,
    secret: admin.clientSecret,
    secretStorage: 'session',
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.data as TenantProfile;
}

let nextUser = 0;
const dbUsers = () =>
  [...t.emu.store.users.values()].filter((u) => u.identities[0]?.provider === 'auth0' && u.email);

/** A valid request for each case, on a fresh tenant profile (tenants:*) or a fresh user (users:*). */
async function request(name: string, channel: WriteChannel, environment: Environment, requireReason = false) {
  if (channel.startsWith('tenants:')) {
    const p = await addTenant(environment, `${name} ${environment}`);
    const patch =
      name === 'rename'
        ? { label: 'Renamed' }
        : name === 'retag'
          ? { environment: 'development' }
          : name === 'new client'
            ? { clientId: 'another-client' }
            : undefined;
    return {
      id: p.id,
      ...(patch ? { patch } : {}),
      ...(channel === 'tenants:set-secret' ? { secret: 'a-new-secret-value', secretStorage: 'session' } : {}),
    };
  }
  let tenant = await addTenant(environment, `users ${environment}`);
  if (requireReason) {
    const r = await invoke('tenants:update', { id: tenant.id, patch: { requireReason: true } });
    if (!r.ok) throw new Error(r.error.message);
    tenant = r.data as TenantProfile;
  }
  const user = dbUsers()[nextUser++]!;
  const role = [...t.emu.store.roles.keys()][0]!;
  const base = { tenantId: tenant.id, userId: user.user_id };
  const access = giveAccess(user.user_id);
  if (channel.startsWith('orgs:')) {
    const org = (await t.client().organizations.create({ name: `guard-org-${nextUser}` })).id!;
    const orgBase = { tenantId: tenant.id, orgId: org };
    switch (name) {
      case 'create org':
        return { tenantId: tenant.id, name: `guard-new-${nextUser}` };
      case 'rename org':
        return { ...orgBase, displayName: `Renamed ${nextUser}` };
      case 'delete org':
        return orgBase;
      case 'add org members':
        return { ...orgBase, userIds: [user.user_id] };
      case 'remove org members':
        await t.client().organizations.members.create(org, { members: [user.user_id] });
        return { ...orgBase, userIds: [user.user_id] };
      case 'give org role':
        await t.client().organizations.members.create(org, { members: [user.user_id] });
        return { ...orgBase, userId: user.user_id, roleIds: [role] };
      case 'take org role':
        await t.client().organizations.members.create(org, { members: [user.user_id] });
        await t.client().organizations.members.roles.assign(org, user.user_id, { roles: [role] });
        return { ...orgBase, userId: user.user_id, roleIds: [role] };
      case 'invite':
        return {
          ...orgBase,
          inviter: 'Guard',
          email: `invitee-${nextUser}@example.net`,
          clientId: APPLICATIONS[0].client_id,
          sendEmail: false,
        };
      case 'revoke invitation': {
        const inv = await t.client().organizations.invitations.create(org, {
          inviter: { name: 'Guard' },
          invitee: { email: `revoked-${nextUser}@example.net` },
          client_id: APPLICATIONS[0].client_id,
          send_invitation_email: false,
        });
        return { ...orgBase, invitationId: inv.id };
      }
    }
  }
  switch (name) {
    case 'revoke session':
      return { ...base, sessionId: access.sessionId };
    case 'revoke refresh token':
      return { ...base, tokenId: access.tokenId };
    case 'revoke consent':
      return { ...base, grantId: access.grantId };
    case 'remove MFA method':
      return { ...base, methodId: access.methodId };
    case 'sign out everywhere':
      return { ...base, options: { block: false, mfaReset: false, grants: true, password: 'none' } };
    case 'create':
      return {
        tenantId: tenant.id,
        connection: 'Username-Password-Authentication',
        email: `guard-${nextUser}@example.net`,
        password: 'Guard-Pass-123',
      };
    case 'metadata':
      return {
        ...base,
        kind: 'user_metadata',
        changes: { guarded: nextUser },
        expectedUpdatedAt: user.updated_at,
      };
    case 'profile':
      return { ...base, changes: { nickname: `guarded-${nextUser}` }, expectedUpdatedAt: user.updated_at };
    case 'block':
      return { ...base, blocked: true };
    case 'unblock':
      return { ...base, blocked: false };
    case 'set password':
      return { ...base, password: 'Guard-Pass-456' };
    case 'assign role':
    case 'remove role':
      return { ...base, roleIds: [role] };
    case 'create role':
      return { tenantId: tenant.id, name: `Guarded ${environment} ${nextUser}` };
    case 'describe role':
      return { tenantId: tenant.id, roleId: role, description: `Guarded ${nextUser}` };
    case 'delete role':
      return {
        tenantId: tenant.id,
        roleId: (await t.client().roles.create({ name: `Doomed ${nextUser}` })).id,
      };
    case 'add members':
    case 'remove members':
      return { tenantId: tenant.id, roleId: role, userIds: [user.user_id] };
    case 'add permissions':
    case 'remove permissions': {
      const apis = await invoke('resource-servers:list', { tenantId: tenant.id });
      if (!apis.ok) throw new Error(apis.error.message);
      const api = (apis.data as ResourceServerSummary[]).find((x) => !x.isSystem && x.scopes.length > 0)!;
      return {
        tenantId: tenant.id,
        roleId: role,
        permissions: [{ resourceServer: api.identifier, name: api.scopes[0]!.value }],
      };
    }
    default:
      return base;
  }
}

/** A session, a refresh token, a consent and an MFA method for a user, as the local tenant seeds them. */
function giveAccess(userId: string) {
  const now = new Date().toISOString();
  const n = `${nextUser}`;
  const device = { initial_user_agent: 'UA', initial_ip: '192.0.2.1', initial_asn: '1' };
  const full = { ...device, last_user_agent: 'UA', last_ip: '192.0.2.1', last_asn: '1' };
  const ids = { sessionId: `sess_g${n}`, tokenId: `rt_g${n}`, grantId: `cgr_g${n}`, methodId: `totp|g${n}` };
  t.emu.store.sessions.set(userId, [
    {
      id: ids.sessionId,
      user_id: userId,
      created_at: now,
      updated_at: now,
      authenticated_at: now,
      idle_expires_at: now,
      expires_at: now,
      last_interacted_at: now,
      device: full,
      clients: [{ client_id: 'app' }],
      authentication: { methods: [] },
    },
  ]);
  t.emu.store.refreshTokens.set(userId, [
    {
      id: ids.tokenId,
      user_id: userId,
      created_at: now,
      device: full,
      client_id: 'app',
      rotating: false,
      resource_servers: [],
    },
  ]);
  t.emu.store.grants.set(userId, [
    { id: ids.grantId, clientID: 'app', user_id: userId, audience: 'https://api.example', scope: ['openid'] },
  ]);
  t.emu.store.authenticationMethods.set(userId, [
    { id: ids.methodId, type: 'totp', confirmed: true, created_at: now, authentication_methods: [] },
  ]);
  return ids;
}

function tenantState() {
  const sets = (m: Map<string, Set<string>>) => [...m].map(([k, v]) => [k, [...v].sort()]);
  return JSON.stringify({
    organizations: [...t.emu.store.organizations.values()],
    orgMembers: sets(t.emu.store.orgMembers),
    orgMemberRoles: sets(t.emu.store.orgMemberRoles),
    orgInvitations: [...t.emu.store.orgInvitations],
    sessions: [...t.emu.store.sessions],
    refreshTokens: [...t.emu.store.refreshTokens],
    grants: [...t.emu.store.grants],
    methods: [...t.emu.store.authenticationMethods],
    writes: [...t.emu.store.appliedWrites],
    users: t.emu.store.users.size,
    outbox: t.emu.outbox().length,
    tickets: t.emu.store.tickets.size,
    jobs: t.emu.store.jobs.size,
    roles: [...t.emu.store.roles.values()],
    roleUsers: [...t.emu.store.roleUsers.keys()].map((k) => t.emu.store.roleUsers.get(k)!.size),
    rolePermissions: [...t.emu.store.rolePermissions.keys()].map(
      (k) => t.emu.store.rolePermissions.get(k)!.size,
    ),
  });
}
const profilesFile = () => readFileSync(join(dataDir, 'tenants.json'), 'utf8');

describe('the production guard in main', () => {
  it('covers every operation of the registry and every write channel of the contract, and only those', () => {
    expect(Object.keys(BY_OPERATION).sort()).toEqual(OPERATIONS.map((o) => o.name).sort());
    // Starting a bulk job or an import needs its plan or file: tested in bulk.test.ts and imports.test.ts.
    expect([...new Set([...ON_PRODUCTION.map(([, c]) => c), 'bulk:start', 'imports:start'])].sort()).toEqual(
      [...writeChannels].sort(),
    );
    for (const environment of environments)
      expect(guardLevel('bulk:start', environment, undefined)).toBe(
        environment === 'production' ? 'typed-domain-and-count' : 'none',
      );
  });

  it('asks nothing on staging, development and custom tenants: each write goes through unguarded', async () => {
    for (const environment of environments.filter((e) => e !== 'production')) {
      for (const [name, channel] of ON_PRODUCTION) {
        const input = await request(name, channel, environment);
        expect(guardLevel(channel, environment, input as never), `${name} on ${environment}`).toBe('none');
        const r = await invoke(channel, input);
        expect(r.ok, `${name} on ${environment}: ${JSON.stringify(r)}`).toBe(true);
      }
    }
  });

  it('on a production tenant, refuses each write without its answer (sending nothing), audits it, then accepts it', async () => {
    for (const [name, channel, level] of ON_PRODUCTION) {
      const input = await request(name, channel, 'production');
      expect(guardLevel(channel, 'production', input as never), name).toBe(level);
      const tenantBefore = tenantState();
      const profilesBefore = profilesFile();
      const attempts =
        level === 'none'
          ? []
          : level === 'confirm'
            ? [undefined]
            : [undefined, { confirmed: true }, { confirmed: true, typedDomain: 'wrong.example.com' }];
      for (const guard of attempts) {
        const r = await invoke(channel, { ...input, ...(guard ? { guard } : {}) });
        expect(r.ok, `${name} with ${JSON.stringify(guard)}`).toBe(false);
        if (!r.ok) {
          expect(r.error.code, name).toBe('confirmation_required');
          expect(r.error.details, name).toMatchObject({ level, domain: t.emu.domain });
        }
      }
      expect(tenantState(), `${name}: the tenant was changed by a refused write`).toBe(tenantBefore);
      expect(profilesFile(), `${name}: a profile was changed by a refused write`).toBe(profilesBefore);
      const answer =
        level === 'typed-domain'
          ? { confirmed: true, typedDomain: ` ${t.emu.domain.toUpperCase()} ` }
          : { confirmed: true };
      const accepted = await invoke(channel, { ...input, ...(level === 'none' ? {} : { guard: answer }) });
      expect(accepted.ok, `${name} with its answer: ${JSON.stringify(accepted)}`).toBe(true);
      // The write ran the operation the table names, and was judged by that operation's risk.
      const op = operationOf.get(name);
      if (op) {
        const latest = ((await invoke('audit:list', { limit: 1 })) as { ok: true; data: AuditEntry[] })
          .data[0]!;
        expect(latest.op, name).toBe(op);
        expect(latest.outcome, name).toBe('success');
      }
    }
    const audit = (await invoke('audit:list', { limit: 5000 })) as { ok: true; data: AuditEntry[] };
    const refused = audit.data.filter((e) => e.outcome === 'refused');
    const expectedRefusals = ON_PRODUCTION.reduce(
      (n, [, , level]) => n + (level === 'none' ? 0 : level === 'confirm' ? 1 : 3),
      0,
    );
    expect(refused).toHaveLength(expectedRefusals);
    expect(
      refused.every((e) => e.tenantDomain === t.emu.domain && /production tenant/.test(e.error ?? '')),
    ).toBe(true);
  });

  it('with a reason required, refuses every write to a tenant without one, whatever the window sent; takes it with one', async () => {
    const cases = ON_PRODUCTION.filter(([, channel]) => !channel.startsWith('tenants:'));
    // Every write channel but the console's own profiles, bulk:start and imports:start (reason.test.ts).
    expect([...new Set([...cases.map(([, c]) => c), 'bulk:start', 'imports:start'])].sort()).toEqual(
      writeChannels.filter((c) => !c.startsWith('tenants:')).sort(),
    );
    const reason = { ticket: 'CHG-77', note: 'Requested by the account owner' };
    for (const [name, channel, level] of cases) {
      const input = await request(name, channel, 'production', true);
      const answer =
        level === 'typed-domain' ? { confirmed: true, typedDomain: t.emu.domain } : { confirmed: true };
      const before = tenantState();
      for (const sent of [undefined, {}, { ticket: '   ' }, { note: '' }]) {
        const r = await invoke(channel, { ...input, guard: answer, ...(sent ? { reason: sent } : {}) });
        expect(r.ok, `${name} with reason ${JSON.stringify(sent)}`).toBe(false);
        if (!r.ok) {
          expect(r.error.code, name).toBe('confirmation_required');
          expect(r.error.message, name).toBe(
            'This tenant asks for a reason on every write: give a ticket reference or a note.',
          );
        }
      }
      expect(tenantState(), `${name}: changed without a reason`).toBe(before);
      const accepted = await invoke(channel, { ...input, guard: answer, reason });
      expect(accepted.ok, `${name} with a reason: ${JSON.stringify(accepted)}`).toBe(true);
      const latest = ((await invoke('audit:list', { limit: 1 })) as { ok: true; data: AuditEntry[] })
        .data[0]!;
      expect(latest.reason, name).toEqual(reason);
    }
  });
});
