// The local tenant's state: users (indexed for search), roles, connections, logs, jobs, tickets, MFA, blocks, outbox.
// Everything lives in memory; `snapshot()`/`restore()` give the JSON form `--data` saves atomically.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { LOG_RULES, RecordIndex, UserIndex } from '../query/index.js';
import { managementApi } from './management-api.js';
import { TrackedMap, TrackedSetMap } from './tracked.js';
import type {
  AuthenticationMethod,
  BlockedFor,
  Client,
  Connection,
  Enrollment,
  Grant,
  Job,
  LogEvent,
  Organization,
  OrganizationConnection,
  OrganizationInvitation,
  OutboxEmail,
  RefreshToken,
  ResourceServer,
  Role,
  Session,
  Ticket,
  User,
} from './model.js';

const LOG_CAPACITY = 100_000;

export interface Snapshot {
  version: 1;
  clients: Client[];
  connections: Connection[];
  users: User[];
  passwords: Record<string, string>;
  roles: Role[];
  roleUsers: Record<string, string[]>;
  /** Per role, its permissions as `permissionKey(resource server id, permission name)`. */
  rolePermissions: Record<string, string[]>;
  /**
   * The tenant's APIs. The system Management API is kept as its id and the settings a tenant may change: the rest
   * (its identifier follows the tenant's address, its scopes the local tenant's version) is filled in when read.
   */
  resourceServers?: ResourceServer[];
  /** Data files written before several APIs existed: the one API, whose role permissions were bare names. */
  resourceServer?: ResourceServer;
  logs: LogEvent[];
  enrollments: Record<string, Enrollment[]>;
  authenticationMethods: Record<string, AuthenticationMethod[]>;
  blocks: Record<string, BlockedFor[]>;
  /** Per user: sessions, refresh tokens and consents (absent in data files written before they existed). */
  sessions?: Record<string, Session[]>;
  refreshTokens?: Record<string, RefreshToken[]>;
  grants?: Record<string, Grant[]>;
  /**
   * Organizations (absent in data files written before they existed): by id in creation order; members per org id;
   * each member's organization roles under `orgMemberKey(org id, user id)`; invitations and enabled connections per
   * org id.
   */
  organizations?: Organization[];
  orgMembers?: Record<string, string[]>;
  orgMemberRoles?: Record<string, string[]>;
  orgInvitations?: Record<string, OrganizationInvitation[]>;
  orgConnections?: Record<string, OrganizationConnection[]>;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function randomAlnum(length: number): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += alnum[b % alnum.length];
  return s;
}

let logSequence = 0;
/** Auth0 log ids are long digit strings that sort by time; ours are date-prefixed and unique per process. */
export function newLogId(date: Date): string {
  logSequence = (logSequence + 1) % 1_000_000;
  return `900${date.getTime().toString().padStart(15, '0')}${String(logSequence).padStart(6, '0')}${randomBytes(
    8,
  )
    .toString('hex')
    .replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10))}`;
}

/** Auth0's resource server ids are 24 hex digits (a MongoDB ObjectId). */
export function newResourceServerId(): string {
  return randomHex(12);
}

/** A role permission: which API (by resource server id) and which of its scopes. */
export function permissionKey(resourceServerId: string, permissionName: string): string {
  return `${resourceServerId}|${permissionName}`;
}

export function parsePermissionKey(key: string): { resourceServerId: string; permissionName: string } {
  const at = key.indexOf('|');
  return { resourceServerId: key.slice(0, at), permissionName: key.slice(at + 1) };
}

/** Where a member's organization roles are kept: org ids never hold a `|`, user ids may. */
export function orgMemberKey(orgId: string, userId: string): string {
  return `${orgId}|${userId}`;
}

export function parseOrgMemberKey(key: string): { orgId: string; userId: string } {
  const at = key.indexOf('|');
  return { orgId: key.slice(0, at), userId: key.slice(at + 1) };
}

/** The custom APIs a new local tenant has. */
export function defaultResourceServers(): ResourceServer[] {
  const api = (name: string, identifier: string, scopes: [string, string][]): ResourceServer => ({
    id: newResourceServerId(),
    name,
    identifier,
    allow_offline_access: false,
    skip_consent_for_verifiable_first_party_clients: false,
    subject_type_authorization: { client: { policy: 'require_client_grant' }, user: { policy: 'allow_all' } },
    token_lifetime: 86400,
    token_lifetime_for_web: 7200,
    signing_alg: 'RS256',
    scopes: scopes.map(([value, description]) => ({ value, description })),
    enforce_policies: true,
    token_dialect: 'access_token_authz',
  });
  return [
    api('Reports API', 'https://reports.tenant-desk.local/', [
      ['read:reports', 'Read reports'],
      ['create:reports', 'Create reports'],
      ['delete:reports', 'Delete reports'],
      ['admin:reports', 'Administer reports'],
    ]),
    // Shares `read:reports` with the Reports API on purpose: a permission is an (API, scope) pair.
    api('Billing API', 'https://billing.tenant-desk.local/', [
      ['read:invoices', 'Read invoices'],
      ['create:invoices', 'Create invoices'],
      ['refund:payments', 'Refund payments'],
      ['read:reports', 'Read billing reports'],
    ]),
  ];
}

/** The persistent tables a write can change, by the name the journal records them under. */
export const TABLES = [
  'connections',
  'users',
  'passwords',
  'roles',
  'roleUsers',
  'rolePermissions',
  'resourceServers',
  'enrollments',
  'authenticationMethods',
  'blocks',
  'sessions',
  'refreshTokens',
  'grants',
  'organizations',
  'orgMembers',
  'orgMemberRoles',
  'orgInvitations',
  'orgConnections',
] as const;
export type Table = (typeof TABLES)[number];
/** The tables whose values are sets (journaled as arrays). */
const SET_TABLES = new Set<string>(['roleUsers', 'orgMembers', 'orgMemberRoles']);

export class TenantStore {
  clients: Client[] = [];
  connections: Connection[] = [];
  /** Keys changed since the journal last took them; off while restoring. */
  private changes = new Map<Table, Set<string>>();
  private newLogs: LogEvent[] = [];
  private tracking = true;
  /** Called when the first change after a flush is made (the journal schedules a flush). */
  onChange: (() => void) | null = null;
  private readonly mark = (table: string, key: string) => {
    if (!this.tracking) return;
    const wasClean = this.changes.size === 0 && this.newLogs.length === 0;
    let keys = this.changes.get(table as Table);
    if (!keys) this.changes.set(table as Table, (keys = new Set()));
    keys.add(key);
    if (wasClean) this.onChange?.();
  };
  readonly users = new UsersMap('users', this.mark);
  readonly index = new UserIndex();
  /** scrypt hashes, never returned by the API. */
  readonly passwords = new TrackedMap<string>('passwords', this.mark);
  readonly roles = new TrackedMap<Role>('roles', this.mark);
  readonly roleUsers = new TrackedSetMap('roleUsers', this.mark);
  readonly rolePermissions = new TrackedSetMap('rolePermissions', this.mark);
  /** The APIs by id, in creation order (the system one as stored: see `Snapshot.resourceServers`). */
  readonly resourceServers = new TrackedMap<ResourceServer>('resourceServers', this.mark);
  /** Where a data file from before several APIs existed kept its one API: old bare permission names belong to it. */
  private legacyResourceServerId: string | null = null;
  logs: LogEvent[] = [];
  /** The logs, searchable with the same query engine as users (Auth0's log-search rules). */
  readonly logIndex = new RecordIndex(LOG_RULES);
  readonly enrollments = new TrackedMap<Enrollment[]>('enrollments', this.mark);
  readonly authenticationMethods = new TrackedMap<AuthenticationMethod[]>('authenticationMethods', this.mark);
  readonly blocks = new TrackedMap<BlockedFor[]>('blocks', this.mark);
  /** Per user id: their sessions, refresh tokens and consents (grants), as Auth0 lists them. */
  readonly sessions = new TrackedMap<Session[]>('sessions', this.mark);
  readonly refreshTokens = new TrackedMap<RefreshToken[]>('refreshTokens', this.mark);
  readonly grants = new TrackedMap<Grant[]>('grants', this.mark);
  /** Organizations by id, in creation order (Auth0 lists them so). */
  readonly organizations = new TrackedMap<Organization>('organizations', this.mark);
  /** Per org id, its members' user ids. */
  readonly orgMembers = new TrackedSetMap('orgMembers', this.mark);
  /** Per `orgMemberKey(org id, user id)`, the member's role ids in that organization. */
  readonly orgMemberRoles = new TrackedSetMap('orgMemberRoles', this.mark);
  /** Per org id, its pending invitations and its enabled connections. */
  readonly orgInvitations = new TrackedMap<OrganizationInvitation[]>('orgInvitations', this.mark);
  readonly orgConnections = new TrackedMap<OrganizationConnection[]>('orgConnections', this.mark);
  // Jobs, tickets, export files and the outbox are short-lived, as on Auth0, and not persisted.
  readonly jobs = new Map<string, Job>();
  readonly jobErrors = new Map<string, unknown[]>();
  readonly exports = new Map<string, { body: Buffer; filename: string; expiresAt: number }>();
  readonly tickets = new Map<string, Ticket>();
  readonly outbox: OutboxEmail[] = [];
  /** Writes applied per user id since start (a local-tenant extension for tests; not persisted). */
  readonly appliedWrites = new Map<string, number>();
  /** Failures to answer with, by method and path pattern (a local-tenant extension for tests). */
  faults: { method?: string; path: RegExp; status: number; times: number; truncate?: boolean }[] = [];

  /**
   * The injected failure this request meets, if any (each one answers `times` requests): a status to answer with, or
   * (`truncate`, export downloads) a body cut in half.
   */
  takeFault(method: string, path: string): { status: number; truncate: boolean } | null {
    const fault = this.faults.find(
      (f) => (!f.method || f.method === method) && f.path.test(path) && f.times > 0,
    );
    if (!fault) return null;
    fault.times--;
    return { status: fault.status, truncate: fault.truncate === true };
  }

  // ---- journal support ----

  /** What changed since the last call, as journal records (each key with its value now, null when deleted). */
  takeChanges(): { table: Table | 'log'; key: string; value: unknown }[] {
    const out: { table: Table | 'log'; key: string; value: unknown }[] = [];
    for (const [table, keys] of this.changes) {
      for (const key of keys) {
        const v =
          table === 'connections'
            ? this.connections.find((c) => c.id === key)
            : (this[table] as Map<string, unknown>).get(key);
        out.push({ table, key, value: v instanceof Set ? [...v] : (v ?? null) });
      }
    }
    for (const log of this.newLogs) out.push({ table: 'log', key: log.log_id, value: log });
    this.changes = new Map();
    this.newLogs = [];
    return out;
  }

  hasChanges(): boolean {
    return this.changes.size > 0 || this.newLogs.length > 0;
  }

  /** Replays one journal record (no tracking: it is already on disk). */
  applyChange(table: Table | 'log', key: string, value: unknown): void {
    this.untracked(() => {
      if (table === 'log') {
        const last = this.logs[this.logs.length - 1];
        // A snapshot written after this record already holds it.
        if (!last || (value as LogEvent).log_id > last.log_id) this.pushLog(value as LogEvent);
        return;
      }
      if (table === 'users') {
        if (value) this.putUser(value as User);
        else {
          this.users.delete(key);
          this.index.remove(key);
        }
        return;
      }
      if (table === 'connections') {
        this.connections = this.connections.filter((c) => c.id !== key);
        if (value) this.connections.push(value as Connection);
        return;
      }
      const map = this[table] as Map<string, unknown>;
      if (value === null) map.delete(key);
      else if (table === 'rolePermissions') map.set(key, new Set(this.upgradePermissions(value as string[])));
      else map.set(key, SET_TABLES.has(table) ? new Set(value as string[]) : value);
    });
  }

  untracked<T>(fn: () => T): T {
    const was = this.tracking;
    this.tracking = false;
    try {
      return fn();
    } finally {
      this.tracking = was;
    }
  }

  private pushLog(entry: LogEvent): void {
    this.logs.push(entry);
    this.logIndex.upsert(entry as unknown as Record<string, unknown>);
    if (this.logs.length > LOG_CAPACITY)
      for (const old of this.logs.splice(0, this.logs.length - LOG_CAPACITY))
        this.logIndex.remove(old.log_id);
  }

  // ---- users ----
  putUser(user: User): void {
    this.users.set(user.user_id, user);
    this.index.upsert(user);
  }

  deleteUser(userId: string): void {
    this.users.delete(userId);
    this.index.remove(userId);
    this.passwords.delete(userId);
    for (const members of this.roleUsers.values()) members.delete(userId);
    this.enrollments.delete(userId);
    this.authenticationMethods.delete(userId);
    this.blocks.delete(userId);
    this.sessions.delete(userId);
    this.refreshTokens.delete(userId);
    this.grants.delete(userId);
    for (const members of this.orgMembers.values()) members.delete(userId);
    for (const key of [...this.orgMemberRoles.keys()])
      if (parseOrgMemberKey(key).userId === userId) this.orgMemberRoles.delete(key);
  }

  // ---- organizations ----
  /** An organization and everything hanging off it: members, their roles, invitations, enabled connections. */
  deleteOrganization(orgId: string): void {
    this.organizations.delete(orgId);
    this.orgMembers.delete(orgId);
    for (const key of [...this.orgMemberRoles.keys()])
      if (parseOrgMemberKey(key).orgId === orgId) this.orgMemberRoles.delete(key);
    this.orgInvitations.delete(orgId);
    this.orgConnections.delete(orgId);
  }

  /** A role and where it is granted: its members, its permissions and organization member roles. */
  deleteRole(roleId: string): void {
    this.roles.delete(roleId);
    this.roleUsers.delete(roleId);
    this.rolePermissions.delete(roleId);
    for (const roles of this.orgMemberRoles.values()) roles.delete(roleId);
  }

  /** The organizations a user is a member of, in creation order. */
  organizationsOfUser(userId: string): Organization[] {
    return [...this.organizations.values()].filter((o) => this.orgMembers.get(o.id)?.has(userId));
  }

  /** Replaces a connection (by id), keeping its place in the list. */
  putConnection(connection: Connection): void {
    const i = this.connections.findIndex((c) => c.id === connection.id);
    if (i >= 0) this.connections[i] = connection;
    else this.connections.push(connection);
    this.mark('connections', connection.id);
  }

  connectionByName(name: string): Connection | undefined {
    return this.connections.find((c) => c.name === name);
  }

  connectionById(id: string): Connection | undefined {
    return this.connections.find((c) => c.id === id);
  }

  /** A user's identity in a given connection, if any. */
  findInConnection(connection: string, by: { email?: string; username?: string }): User | undefined {
    const candidates = [
      ...(by.email ? this.users.withEmail(by.email) : []),
      ...(by.username ? this.users.withUsername(by.username) : []),
    ];
    return candidates.find((u) => u.identities.some((i) => i.connection === connection));
  }

  usersByEmail(email: string): User[] {
    return this.users.withEmail(email);
  }

  setPassword(userId: string, password: string): void {
    const salt = randomBytes(16);
    // Low cost: the emulator is a test double, but it still never keeps a password in clear.
    const hash = scryptSync(password, salt, 32, { N: 1024 });
    this.passwords.set(userId, `${salt.toString('hex')}:${hash.toString('hex')}`);
  }

  checkPassword(userId: string, password: string): boolean {
    const stored = this.passwords.get(userId);
    // An imported hash is kept as given: the local tenant cannot check a password against it.
    if (!stored || stored.startsWith('imported:')) return false;
    const [salt, hash] = stored.split(':') as [string, string];
    const candidate = scryptSync(password, Buffer.from(salt, 'hex'), 32, { N: 1024 });
    return timingSafeEqual(candidate, Buffer.from(hash, 'hex'));
  }

  // ---- roles ----
  rolesOfUser(userId: string): Role[] {
    const out: Role[] = [];
    for (const [roleId, members] of this.roleUsers) {
      if (members.has(userId)) {
        const role = this.roles.get(roleId);
        if (role) out.push(role);
      }
    }
    return out;
  }

  // ---- resource servers ----
  /** Every tenant has the system Management API; a store without one (new, or from an old data file) gets it. */
  ensureManagementApi(id = newResourceServerId()): void {
    for (const rs of this.resourceServers.values()) if (rs.is_system) return;
    this.resourceServers.set(id, { id, identifier: '', is_system: true } as ResourceServer);
  }

  private present(rs: ResourceServer, audience: string): ResourceServer {
    if (!rs.is_system) return rs;
    const { id: _id, identifier: _identifier, is_system: _system, ...settings } = rs;
    return { ...managementApi(rs.id, audience), ...settings };
  }

  /** Every API of the tenant as Auth0 lists them: the system Management API first, then the custom ones. */
  allResourceServers(audience: string): ResourceServer[] {
    const all = [...this.resourceServers.values()];
    return [...all.filter((rs) => rs.is_system), ...all.filter((rs) => !rs.is_system)].map((rs) =>
      this.present(rs, audience),
    );
  }

  /** An API by id or by identifier (Auth0 accepts either wherever it takes an API's id). */
  findResourceServer(idOrIdentifier: string, audience: string): ResourceServer | undefined {
    const byId = this.resourceServers.get(idOrIdentifier);
    if (byId) return this.present(byId, audience);
    for (const rs of this.resourceServers.values())
      if (rs.is_system ? idOrIdentifier === audience : rs.identifier === idOrIdentifier)
        return this.present(rs, audience);
    return undefined;
  }

  /** Drops role permissions that no longer name a scope of an existing API (after a scope or an API is removed). */
  prunePermissions(resourceServerId: string, keep: (permissionName: string) => boolean): void {
    for (const perms of this.rolePermissions.values())
      for (const key of [...perms]) {
        const p = parsePermissionKey(key);
        if (p.resourceServerId === resourceServerId && !keep(p.permissionName)) perms.delete(key);
      }
  }

  /** Old data files kept bare permission names (all of the one API); they become (API, name) keys. */
  private upgradePermissions(values: string[]): string[] {
    const legacy = this.legacyResourceServerId;
    return values.map((v) => (v.includes('|') || !legacy ? v : permissionKey(legacy, v)));
  }

  // ---- logs ----
  log(event: Omit<LogEvent, 'log_id' | 'date'> & { date?: Date }): LogEvent {
    const date = event.date ?? new Date();
    const { date: _ignored, ...rest } = event;
    const entry: LogEvent = { ...rest, date: date.toISOString(), log_id: newLogId(date) };
    this.pushLog(entry);
    if (this.tracking) {
      const wasClean = !this.hasChanges();
      this.newLogs.push(entry);
      if (wasClean) this.onChange?.();
    }
    return entry;
  }

  // ---- snapshot ----
  snapshot(): Snapshot {
    const mapOfSets = (m: Map<string, Set<string>>) =>
      Object.fromEntries([...m].map(([k, v]) => [k, [...v]]));
    return {
      version: 1,
      clients: this.clients,
      connections: this.connections,
      users: [...this.users.values()],
      passwords: Object.fromEntries(this.passwords),
      roles: [...this.roles.values()],
      roleUsers: mapOfSets(this.roleUsers),
      rolePermissions: mapOfSets(this.rolePermissions),
      resourceServers: [...this.resourceServers.values()],
      logs: this.logs,
      enrollments: Object.fromEntries(this.enrollments),
      authenticationMethods: Object.fromEntries(this.authenticationMethods),
      blocks: Object.fromEntries(this.blocks),
      sessions: Object.fromEntries(this.sessions),
      refreshTokens: Object.fromEntries(this.refreshTokens),
      grants: Object.fromEntries(this.grants),
      organizations: [...this.organizations.values()],
      orgMembers: mapOfSets(this.orgMembers),
      orgMemberRoles: mapOfSets(this.orgMemberRoles),
      orgInvitations: Object.fromEntries(this.orgInvitations),
      orgConnections: Object.fromEntries(this.orgConnections),
    };
  }

  restore(s: Snapshot): void {
    if (s.version !== 1) throw new Error(`Unsupported data file version ${String(s.version)}`);
    this.untracked(() => this.restoreTables(s));
  }

  private restoreTables(s: Snapshot): void {
    this.clients = s.clients;
    this.connections = s.connections;
    for (const u of s.users) this.putUser(u);
    for (const [k, v] of Object.entries(s.passwords)) this.passwords.set(k, v);
    for (const r of s.roles) this.roles.set(r.id, r);
    for (const [k, v] of Object.entries(s.roleUsers)) this.roleUsers.set(k, new Set(v));
    this.resourceServers.clear();
    if (s.resourceServers) for (const rs of s.resourceServers) this.resourceServers.set(rs.id, rs);
    else if (s.resourceServer) {
      // A data file from before several APIs: its one API, in today's shape, with its role permissions upgraded.
      const old = s.resourceServer as Partial<ResourceServer> & Pick<ResourceServer, 'id' | 'identifier'>;
      const legacy: ResourceServer = {
        ...old,
        allow_offline_access: old.allow_offline_access ?? false,
        skip_consent_for_verifiable_first_party_clients:
          old.skip_consent_for_verifiable_first_party_clients ?? false,
        token_lifetime: old.token_lifetime ?? 86400,
        token_lifetime_for_web: old.token_lifetime_for_web ?? 7200,
        signing_alg: old.signing_alg ?? 'RS256',
      };
      this.resourceServers.set(legacy.id, legacy);
      this.legacyResourceServerId = legacy.id;
    }
    this.ensureManagementApi();
    for (const [k, v] of Object.entries(s.rolePermissions))
      this.rolePermissions.set(k, new Set(this.upgradePermissions(v)));
    this.logs = [];
    for (const log of s.logs) this.pushLog(log);
    for (const [k, v] of Object.entries(s.enrollments)) this.enrollments.set(k, v);
    for (const [k, v] of Object.entries(s.authenticationMethods)) this.authenticationMethods.set(k, v);
    for (const [k, v] of Object.entries(s.blocks)) this.blocks.set(k, v);
    for (const [k, v] of Object.entries(s.sessions ?? {})) this.sessions.set(k, v);
    for (const [k, v] of Object.entries(s.refreshTokens ?? {})) this.refreshTokens.set(k, v);
    for (const [k, v] of Object.entries(s.grants ?? {})) this.grants.set(k, v);
    for (const o of s.organizations ?? []) this.organizations.set(o.id, o);
    for (const [k, v] of Object.entries(s.orgMembers ?? {})) this.orgMembers.set(k, new Set(v));
    for (const [k, v] of Object.entries(s.orgMemberRoles ?? {})) this.orgMemberRoles.set(k, new Set(v));
    for (const [k, v] of Object.entries(s.orgInvitations ?? {})) this.orgInvitations.set(k, v);
    for (const [k, v] of Object.entries(s.orgConnections ?? {})) this.orgConnections.set(k, v);
  }
}

/**
 * The users by id, and by email and username too: a lookup by email (a create, an import of thousands, a ticket)
 * is one map read, not a walk over every user. Kept right however a user is stored or changed.
 */
class UsersMap extends TrackedMap<User> {
  private readonly emails = new Map<string, Set<string>>();
  private readonly usernames = new Map<string, Set<string>>();
  /** What each user was indexed under, since a stored object may have been changed in place before it is set. */
  private readonly indexed = new Map<string, { email?: string; username?: string }>();

  private unindex(id: string): void {
    const was = this.indexed.get(id);
    if (!was) return;
    if (was.email !== undefined) this.emails.get(was.email)?.delete(id);
    if (was.username !== undefined) this.usernames.get(was.username)?.delete(id);
    this.indexed.delete(id);
  }

  override set(id: string, user: User): this {
    this.unindex(id);
    const email = user.email?.toLowerCase();
    const username = user.username;
    if (email !== undefined) {
      let ids = this.emails.get(email);
      if (!ids) this.emails.set(email, (ids = new Set()));
      ids.add(id);
    }
    if (username !== undefined) {
      let ids = this.usernames.get(username);
      if (!ids) this.usernames.set(username, (ids = new Set()));
      ids.add(id);
    }
    this.indexed.set(id, {
      ...(email !== undefined ? { email } : {}),
      ...(username !== undefined ? { username } : {}),
    });
    return super.set(id, user);
  }

  override delete(id: string): boolean {
    this.unindex(id);
    return super.delete(id);
  }

  override clear(): void {
    this.emails.clear();
    this.usernames.clear();
    this.indexed.clear();
    super.clear();
  }

  withEmail(email: string): User[] {
    return [...(this.emails.get(email.toLowerCase()) ?? [])].map((id) => this.get(id)!).filter(Boolean);
  }

  withUsername(username: string): User[] {
    return [...(this.usernames.get(username) ?? [])].map((id) => this.get(id)!).filter(Boolean);
  }
}
