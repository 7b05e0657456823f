// The single typed contract between the renderer and main: channels, request schemas, response and event types.
// It imports nothing but zod, so the renderer, the preload and main can all depend on it.
import { z } from 'zod';

// ---------- field paths ----------

/**
 * Names JavaScript gives its object machinery: as a segment of a field path (a CSV column, an import mapping, an
 * export field, a comparison key, a metadata key) they would reach into every object's prototype instead of data,
 * so they are never walked or written anywhere — refused where a path comes in, skipped where a record is read.
 */
export const UNSAFE_PATH_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const indexedSegment = /^([^[\]]+)(?:\[(\d+)\])?$/;

/** Why a dotted field path can't be used, in words, or null. */
export function unsafePathProblem(path: string): string | null {
  for (const part of path.split('.')) {
    const name = indexedSegment.exec(part)?.[1] ?? part;
    if (UNSAFE_PATH_SEGMENTS.has(name))
      return `"${path}" can't be used: "${name}" is a name JavaScript gives its own object machinery, so Tenant Desk never reads or writes it as a field.`;
  }
  return null;
}

/**
 * The value at a dotted path of a record (`email`, `identities[0].connection`, `app_metadata.plan.tier`), reading
 * own properties only. `arrays: 'first'` steps into the first element of any array met on the way (how search and
 * sort read a field); `'index'` only where the path gives `[n]`.
 */
export function valueAtPath(record: unknown, path: string, arrays: 'index' | 'first' = 'index'): unknown {
  let v: unknown = record;
  for (const part of path.split('.')) {
    if (arrays === 'first' && Array.isArray(v)) v = v[0];
    if (v === null || typeof v !== 'object') return undefined;
    const m = arrays === 'index' ? indexedSegment.exec(part) : null;
    const key = m ? m[1]! : part;
    if (arrays === 'index' && !m) return undefined;
    if (UNSAFE_PATH_SEGMENTS.has(key) || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
    if (m?.[2] !== undefined) v = Array.isArray(v) ? v[Number(m[2])] : undefined;
  }
  return v;
}

/** Sets a dotted path in a plain object (`a.b.c`), making plain objects on the way; an unsafe segment is refused. */
export function setAtPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const problem = unsafePathProblem(path);
  if (problem) throw new Error(problem);
  const parts = path.split('.');
  let at = target;
  for (const part of parts.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(at, part) ? at[part] : undefined;
    if (next === null || typeof next !== 'object' || Array.isArray(next)) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts[parts.length - 1]!] = value;
}

// ---------- shared shapes ----------

export const environmentSchema = z.enum(['production', 'staging', 'development', 'custom']);
export type Environment = z.infer<typeof environmentSchema>;

export const authMethodSchema = z.enum(['client_secret', 'private_key_jwt']);
export type AuthMethod = z.infer<typeof authMethodSchema>;

/** Where a tenant's secret lives: the OS keychain, or (by the user's choice when no keychain works) memory until quit. */
export const secretStorageSchema = z.enum(['keychain', 'session']);
export type SecretStorage = z.infer<typeof secretStorageSchema>;

const domainSchema = z
  .string()
  .trim()
  .min(1, 'Domain is required')
  .max(253)
  .regex(
    /^[a-z0-9.-]+(:\d{1,5})?$/i,
    'Domain is a host name with an optional port, without https:// or a path',
  );
const colorSchema = z.string().regex(/^#[0-9a-f]{6}$/i, 'Colour is a #rrggbb value');
const idSchema = z.string().min(1).max(64);
const userIdSchema = z.string().min(1).max(512);
const snapshotIdSchema = z.string().regex(/^snap_[0-9a-f]{16}$/, 'Not a snapshot id');
const uploadIdSchema = z.string().regex(/^up_[0-9a-f]{32}$/, 'Not an upload id');
const importIdSchema = z.string().regex(/^imp_[0-9a-f]{16}$/, 'Not an import id');
/**
 * The production guard's answer, sent with every write: on a production tenant a write needs `confirmed`, and a
 * destructive one (see `guardLevel`) the tenant's domain typed back too. Main checks it again; nothing else counts.
 */
export const guardSchema = z
  .object({
    confirmed: z.literal(true),
    typedDomain: z.string().max(253).optional(),
    /** A bulk job on a production tenant: the number of users it changes, typed back. */
    typedCount: z.number().int().min(0).optional(),
  })
  .strict()
  .optional();
export type GuardAnswer = z.infer<typeof guardSchema>;
const pemSchema = z
  .string()
  .max(64 * 1024)
  .regex(/-----BEGIN [A-Z ]+-----/, 'Expected a PEM block');

// ---------- JSON values and metadata (Auth0's rules, checked before anything is sent) ----------

/** Auth0 refuses bodies over 1 MB; metadata nested deeper than this is refused here (see README, Limits). */
export const MAX_JSON_DEPTH = 100;
export const MAX_BODY_BYTES = 1024 * 1024;

/** Depth of a JSON value, walked without recursion so that no input can overflow the stack. */
export function jsonDepth(value: unknown, stopAt = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > stopAt) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth]);
  }
  return max;
}

/** Keys of app_metadata that Auth0 reserves (a 400 from the tenant). */
export const RESERVED_APP_METADATA_KEYS: readonly string[] = [
  '__tenant',
  '_id',
  'blocked',
  'clientID',
  'created_at',
  'email_verified',
  'email',
  'globalClientID',
  'global_client_id',
  'identities',
  'lastIP',
  'lastLogin',
  'loginsCount',
  'metadata',
  'multifactor_last_modified',
  'multifactor',
  'updated_at',
  'user_id',
];

export type MetadataKind = 'user_metadata' | 'app_metadata';

/** Why a metadata key can't be written, in words, or null when it can. */
export function metadataKeyProblem(kind: MetadataKind, key: string): string | null {
  if (key === '') return 'A metadata key cannot be empty.';
  if (key.length > 255) return 'A metadata key is at most 255 characters.';
  if (key.includes('.') || key.includes('$')) return `Metadata keys cannot contain "." or "$" ("${key}").`;
  if (UNSAFE_PATH_SEGMENTS.has(key))
    return `A metadata key cannot be "${key}" (a name JavaScript gives its own object machinery).`;
  if (kind === 'app_metadata' && RESERVED_APP_METADATA_KEYS.includes(key))
    return `"${key}" is reserved by Auth0 and cannot be set in app_metadata.`;
  return null;
}

/** A JSON value no deeper than MAX_JSON_DEPTH (checked without recursion). */
const jsonValueSchema = z.unknown().superRefine((v, ctx) => {
  if (jsonDepth(v, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    ctx.addIssue({ code: 'custom', message: `Values may be nested at most ${MAX_JSON_DEPTH} levels deep.` });
});

/** Changes to one metadata object: at least one key; null removes a key (Auth0's first-level merge). */
function metadataChangesSchema() {
  return z.record(z.string().max(255), jsonValueSchema).superRefine((changes, ctx) => {
    if (Object.keys(changes).length === 0)
      ctx.addIssue({
        code: 'custom',
        message:
          'No metadata changes were given. (An empty object would make Auth0 remove every key, so it is never sent.)',
      });
  });
}

/** A raw request object whose own keys include "__proto__" (JSON.parse makes it an own key; parsing would drop it). */
function hasProtoKey(value: unknown): boolean {
  return !!value && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, '__proto__');
}

/** A tenant profile as the renderer sees it: never a secret, only whether one is stored and where. */
export interface TenantProfile {
  id: string;
  label: string;
  domain: string;
  clientId: string;
  authMethod: AuthMethod;
  environment: Environment;
  color: string;
  audience: string | null;
  hasCaCert: boolean;
  /** null when no secret is stored (the profile cannot connect until one is set). */
  secretStorage: SecretStorage | null;
  sandbox: boolean;
  createdAt: string;
  updatedAt: string;
}

export const capabilityNames = [
  'users:read',
  'users:create',
  'users:update',
  'users:delete',
  'users:block',
  'users:roles',
  'users:reset-email',
  'users:forget-browsers',
  'tickets:password-change',
  'tickets:email-verification',
  'jobs:verification-email',
  'jobs:export',
  'jobs:import',
  'roles:read',
  'roles:assign',
  'roles:manage',
  'roles:members',
  'mfa:read',
  'mfa:reset',
  'logs:read',
  'connections:read',
] as const;
export type Capability = (typeof capabilityNames)[number];

export interface CapabilityState {
  allowed: boolean;
  /** The scopes of which at least one is missing, for the tooltip of a disabled control. */
  missingScopes: string[];
}

export interface ConnectionTestResult {
  tenantId: string;
  scopes: string[];
  capabilities: Record<Capability, CapabilityState>;
  tokenExpiresAt: string;
}

export interface KeychainStatus {
  available: boolean;
  /** A message for people: what is wrong and how to fix it, when not available. */
  message: string | null;
  /**
   * Tenants whose secret should be in the keychain and is not (checked at start: one kept by an earlier version's
   * keychain library that could not be moved, or removed from the keychain by hand): set each one's secret again.
   */
  missingSecrets?: { id: string; label: string; domain: string }[];
}

/**
 * pending: written before a write is sent (with its before-state), so a crash leaves a trace; success / failure
 * follow under the same id. refused: the production guard stopped it. interrupted: Tenant Desk stopped while the write
 * was being sent; at the next start it is read back from the tenant and its resolution recorded.
 */
export type AuditOutcome = 'pending' | 'success' | 'failure' | 'refused' | 'interrupted';

/**
 * An interrupted write as read back at the next start: the tenant shows what it asked for (applied), what was there
 * before (not-applied), or it can't be told (unknown: an email or a link leaves no trace; the tenant could not be
 * reached; a job or an import offered for resume).
 */
export type AuditResolution = 'applied' | 'not-applied' | 'unknown';

export interface AuditEntry {
  id: string;
  time: string;
  osUser: string;
  tenantId: string;
  tenantDomain: string;
  action: string;
  target: string | null;
  before?: unknown;
  after?: unknown;
  outcome: AuditOutcome;
  error?: string;
  /** The bulk job this write belongs to. */
  jobId?: string;
  /** For an interrupted write: what reading it back at the next start found (its words are in `error`). */
  resolution?: AuditResolution;
  /** The write's command, and what it meant to do: recorded while pending, so that it can be read back. */
  op?: string;
  intent?: unknown;
  /** The process that made the write (a pending write of a process still running is its own, not interrupted). */
  pid?: number;
}

/** A file main has written for the user (an export): saved through the host's own save dialog or download. */
export interface DownloadRef {
  id: string;
  filename: string;
  bytes: number;
}

/** The local tenant's process: started with the app when its profile exists, restartable from the tenants screen. */
export interface LocalTenantStatus {
  state: 'stopped' | 'starting' | 'running' | 'failed';
  domain?: string;
  /** Why it failed, in words. */
  message?: string;
}

export interface AppInfo {
  version: string;
  host: 'electron' | 'browser';
  dataDir: string;
  firstRun: boolean;
}

// ---------- users (as Auth0 returns them; the renderer shows, main never reshapes secrets into them) ----------

export interface UserIdentity {
  connection: string;
  provider: string;
  user_id: string;
  isSocial: boolean;
}

export interface Auth0User {
  user_id: string;
  email?: string;
  email_verified?: boolean;
  username?: string;
  phone_number?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  nickname?: string;
  picture?: string;
  created_at?: string;
  updated_at?: string;
  last_login?: string;
  last_ip?: string;
  last_password_reset?: string;
  logins_count?: number;
  blocked?: boolean;
  multifactor?: string[];
  identities?: UserIdentity[];
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface UserSearchResult {
  users: Auth0User[];
  total: number;
  start: number;
  limit: number;
  /** Auth0 pages only through the first 1000 results of a search. */
  capped: boolean;
}

export interface RoleSummary {
  id: string;
  name: string;
  description?: string;
}

export interface ConnectionSummary {
  id: string;
  name: string;
  strategy: string;
  /** Only database connections accept created users and passwords. */
  isDatabase: boolean;
  passwordPolicy: string | null;
  minLength: number | null;
  /** Database connections only: users have a username besides their email. */
  requiresUsername: boolean;
  /**
   * The connection overwrites name, nickname, given/family name and picture from the identity provider at each
   * login (Auth0's "Sync user profile attributes at each login"), so Auth0 refuses to change them.
   */
  syncsProfileAttributes: boolean;
}

// ---------- profile editing: which fields Auth0 lets us change for a user, in words ----------

export const profileFields = [
  'email',
  'username',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'phone_number',
  'picture',
] as const;
export type ProfileField = (typeof profileFields)[number];

const SYNCED_ATTRIBUTES: readonly ProfileField[] = [
  'name',
  'given_name',
  'family_name',
  'nickname',
  'picture',
];

/**
 * For each profile field: null when it can be changed, or why not (the same rules Auth0 applies). Used by the
 * window to explain before anything is sent, and by main to refuse what Auth0 would.
 */
export function profileEditRules(
  user: Pick<Auth0User, 'identities'>,
  connections: Pick<ConnectionSummary, 'name' | 'requiresUsername' | 'syncsProfileAttributes'>[],
): Record<ProfileField, string | null> {
  const identities = user.identities ?? [];
  const primary = identities[0];
  const database = identities.find((i) => i.provider === 'auth0');
  const connectionOf = (name: string | undefined) => connections.find((c) => c.name === name);
  const rules = Object.fromEntries(profileFields.map((f) => [f, null])) as Record<
    ProfileField,
    string | null
  >;
  if (!database) {
    const via = primary
      ? `${primary.connection} (${primary.isSocial ? 'social' : 'enterprise'})`
      : 'another provider';
    rules.email = `Auth0 changes email only for users of a database connection; this user signs in with ${via}.`;
    rules.username = rules.email.replace('email', 'usernames');
  } else if (!connectionOf(database.connection)?.requiresUsername) {
    rules.username = `The connection ${database.connection} does not use usernames.`;
  }
  const primaryConnection = connectionOf(primary?.connection);
  if (
    primary &&
    primary.provider !== 'auth0' &&
    (primaryConnection?.syncsProfileAttributes ?? primary.isSocial)
  ) {
    for (const f of SYNCED_ATTRIBUTES)
      rules[f] =
        `${primary.connection} sets this at each login ("Sync user profile attributes at each login" is on), so Auth0 refuses to change it here.`;
  }
  return rules;
}

const profileChangesSchema = z
  .object({
    email: z.string().trim().email('Enter a valid email address').max(254).optional(),
    /** With a new email: mark it verified at once. */
    email_verified: z.boolean().optional(),
    /** With a new email: send the user a verification email (Auth0's default when it is not marked verified). */
    verify_email: z.boolean().optional(),
    username: z
      .string()
      .trim()
      .min(1, 'A username is at least 1 character')
      .max(128, 'A username is at most 128 characters')
      .regex(/^[\w.+\-!#$'^`~@]+$/, "A username has letters, digits and _+-.!#$'^`~@ only")
      .optional(),
    name: z.string().trim().min(1, 'A name cannot be empty').max(300).optional(),
    given_name: z.string().trim().min(1, 'A given name cannot be empty').max(150).optional(),
    family_name: z.string().trim().min(1, 'A family name cannot be empty').max(150).optional(),
    nickname: z.string().trim().min(1, 'A nickname cannot be empty').max(300).optional(),
    phone_number: z
      .string()
      .trim()
      .regex(/^\+[1-9]\d{1,14}$/, 'A phone number in international form, like +14155550123')
      .optional(),
    picture: z
      .string()
      .trim()
      .url('A picture is the https address of an image')
      .max(2048)
      .regex(/^https:\/\//, 'A picture is the https address of an image')
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!profileFields.some((f) => c[f] !== undefined))
      ctx.addIssue({ code: 'custom', message: 'No profile field was changed.' });
    if ((c.email_verified !== undefined || c.verify_email !== undefined) && c.email === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['email_verified'],
        message: 'Verification options go with a new email.',
      });
    if (c.email_verified && c.verify_email)
      ctx.addIssue({
        code: 'custom',
        path: ['verify_email'],
        message: 'An email marked verified needs no verification email.',
      });
    if (c.username !== undefined && c.email !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['username'],
        message: 'Auth0 refuses a new username and a new email in one request: save one, then the other.',
      });
  });
export type ProfileChanges = z.infer<typeof profileChangesSchema>;

export interface LogEventSummary {
  log_id: string;
  date: string;
  /** Auth0's type code (`s`, `f`, `sapi`…); the window shows it as words with its category. */
  type: string;
  description?: string;
  ip?: string;
  client_id?: string;
  client_name?: string;
  connection?: string;
  user_id?: string;
  user_name?: string;
  strategy?: string;
  strategy_type?: string;
  hostname?: string;
  user_agent?: string;
}

export interface MfaState {
  enrollments: { id: string; status: string; type: string; name?: string; enrolled_at?: string }[];
  authenticationMethods: {
    id: string;
    type: string;
    confirmed?: boolean;
    name?: string;
    created_at?: string;
  }[];
}

// ---------- bulk edits: who, what, the plan, the job ----------

/** A list file of user ids or emails is at most this big (about 1.5 million emails). */
export const ID_LIST_MAX_BYTES = 64 * 1024 * 1024;

const roleIdSchema = z.string().min(1).max(64);

/** Which users a bulk edit is for: rows picked in the results, every match of a query (past 1,000), or a list. */
export const bulkSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('users'),
      userIds: z.array(userIdSchema).min(1).max(10_000),
      /** updated_at of each user as the window showed it: who changed since is pointed out. */
      seen: z.record(userIdSchema, z.string().max(64)).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('query'), q: z.string().max(4000) }).strict(),
  /** Pasted: user ids and/or emails, one or more per line (or a CSV with a user_id / email column). */
  z
    .object({
      kind: z.literal('list'),
      text: z.string().min(1, 'The list is empty.').max(8_000_000),
      name: z.string().max(260).optional(),
    })
    .strict(),
  /**
   * A CSV/TXT file of user ids and/or emails handed over with uploads:* (read in main through the bounded intake:
   * UTF-8 or UTF-16, each line and the whole file bounded); the upload is removed once read.
   */
  z
    .object({
      kind: z.literal('list-file'),
      uploadId: uploadIdSchema,
      name: z.string().min(1).max(260),
    })
    .strict(),
]);
export type BulkSource = z.infer<typeof bulkSourceSchema>;

/** What a bulk edit does to each user. */
export const bulkChangeSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('metadata'),
      metadata: z.enum(['user_metadata', 'app_metadata']),
      /** Keys to set, with JSON values (Auth0's first-level merge). */
      set: z.record(z.string().max(255), jsonValueSchema).default({}),
      /** Keys to remove. */
      remove: z.array(z.string().max(255)).max(100).default([]),
    })
    .strict()
    .superRefine((c, ctx) => {
      if (Object.keys(c.set).length === 0 && c.remove.length === 0)
        ctx.addIssue({ code: 'custom', message: 'Set or remove at least one key.' });
      for (const key of [...Object.keys(c.set), ...c.remove]) {
        const problem = metadataKeyProblem(c.metadata, key);
        if (problem) ctx.addIssue({ code: 'custom', path: ['set', key], message: problem });
      }
      for (const key of c.remove)
        if (key in c.set)
          ctx.addIssue({ code: 'custom', path: ['remove'], message: `"${key}" is both set and removed.` });
    }),
  z
    .object({
      kind: z.literal('roles'),
      add: z.array(roleIdSchema).max(50).default([]),
      remove: z.array(roleIdSchema).max(50).default([]),
    })
    .strict()
    .refine((c) => c.add.length + c.remove.length > 0, 'Add or remove at least one role.'),
  z.object({ kind: z.literal('block') }).strict(),
  z.object({ kind: z.literal('unblock') }).strict(),
  z.object({ kind: z.literal('brute-force-unblock') }).strict(),
  z.object({ kind: z.literal('mark-verified') }).strict(),
  z.object({ kind: z.literal('verification-email') }).strict(),
  z.object({ kind: z.literal('mfa-reset') }).strict(),
  z.object({ kind: z.literal('forget-browsers') }).strict(),
  z
    .object({
      kind: z.literal('password-link'),
      ttlSec: z.number().int().min(60).max(2_592_000).default(86_400),
      resultUrl: z.string().url().max(2048).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('delete') }).strict(),
]);
export type BulkChange = z.infer<typeof bulkChangeSchema>;
export type BulkChangeKind = BulkChange['kind'];

/** Changes that can be undone from the job's journal (the others say so before they run). */
export const UNDOABLE_CHANGES: readonly BulkChangeKind[] = [
  'metadata',
  'roles',
  'block',
  'unblock',
  'mark-verified',
];

export interface BulkPlanSummary {
  planId: string;
  tenantId: string;
  change: BulkChange;
  /** "Set app_metadata.plan; remove app_metadata.legacy" */
  changeLabel: string;
  sourceLabel: string;
  /** How the users were found: a search (≤ 1,000), a users-export job filtered locally, or one lookup per entry. */
  enumeration: 'search' | 'export' | 'lookup' | 'job';
  total: number;
  willChange: number;
  /** Already as the change would leave them: nothing is sent for these. */
  skipped: number;
  /** Entries of a list that match no user, and emails that match several. */
  unknown: { entry: string; reason: string }[];
  ambiguous: { entry: string; matches: { user_id: string; email?: string; connection?: string }[] }[];
  /** Why users are skipped, each reason with how many it covers ("already as asked", "has no email"…). */
  skipReasons: { note: string; count: number }[];
  warnings: { message: string; count: number }[];
  destructive: boolean;
  undoable: boolean;
  createdAt: string;
}

export type BulkPlanItemStatus = 'change' | 'skip';

export interface BulkPlanItem {
  index: number;
  userId: string;
  email?: string;
  status: BulkPlanItemStatus;
  /** Why it is skipped, or a warning about it. */
  note?: string;
  before?: unknown;
  after?: unknown;
}

export type JobStatus = 'running' | 'paused' | 'interrupted' | 'completed' | 'cancelled';
export type JobItemState = 'planned' | 'sent' | 'done' | 'skipped' | 'failed' | 'unknown' | 'cancelled';

export interface JobCounts {
  total: number;
  done: number;
  skipped: number;
  failed: number;
  /** Sent before a crash and impossible to read back (an email, a link): not sent again. */
  unknown: number;
  /** Not sent because the job was cancelled first. */
  cancelled: number;
  remaining: number;
}

export interface JobSummary {
  id: string;
  tenantId: string;
  tenantDomain: string;
  change: BulkChange;
  changeLabel: string;
  sourceLabel: string;
  createdAt: string;
  finishedAt?: string;
  status: JobStatus;
  /** Why a job paused itself (a locked keychain, a tenant that keeps refusing). */
  pausedReason?: string;
  counts: JobCounts;
  /** Requests per second over the last seconds, and the time left at that pace. */
  rps?: number;
  etaSeconds?: number;
  undoable: boolean;
  undoOf?: string;
  retryOf?: string;
}

export interface JobItem {
  index: number;
  userId: string;
  email?: string;
  state: JobItemState;
  error?: string;
  before?: unknown;
  after?: unknown;
}

// ---------- exports and offline snapshots ----------

export const exportFormats = ['csv', 'ndjson', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Fields the picker offers first (Auth0's export field names); any app_metadata / user_metadata path can be added. */
export const EXPORT_USUAL_FIELDS = [
  'user_id',
  'email',
  'email_verified',
  'username',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'picture',
  'created_at',
  'updated_at',
  'last_login',
  'last_ip',
  'logins_count',
  'blocked',
  'identities[0].connection',
  'identities[0].provider',
  'identities[0].isSocial',
  'app_metadata',
  'user_metadata',
] as const;
export const DEFAULT_EXPORT_FIELDS: readonly string[] = [
  'user_id',
  'email',
  'email_verified',
  'name',
  'created_at',
  'last_login',
  'logins_count',
  'blocked',
  'identities[0].connection',
];
/** Auth0's CSV export takes at most this many fields, and no whole metadata objects. */
export const AUTH0_CSV_MAX_FIELDS = 30;

/** A user field, `identities[n].field`, or app_metadata / user_metadata (whole, or a dotted path into it). */
export const EXPORT_FIELD_PATTERN =
  /^(?:[a-z_][a-z0-9_]*|identities\[\d\]\.[A-Za-z_][A-Za-z0-9_]*|(?:app|user)_metadata(?:\.[^.\s$][^.\s]*)*)$/;

/** A field of a user as a path (export fields, comparison keys and fields): EXPORT_FIELD_PATTERN, no unsafe segment. */
export function fieldPathSchema(message: string) {
  return z
    .string()
    .trim()
    .max(200)
    .regex(EXPORT_FIELD_PATTERN, message)
    .superRefine((path, ctx) => {
      const problem = unsafePathProblem(path);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

export const exportFieldSchema = z
  .object({
    name: fieldPathSchema(
      'A field is a user field (email), identities[0].connection, or app_metadata / user_metadata with an optional .path',
    ),
    /** The column's name in the file (Auth0's export_as); the field's own name when absent. */
    exportAs: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type ExportField = z.infer<typeof exportFieldSchema>;

const exportFieldsSchema = z
  .array(exportFieldSchema)
  .min(1, 'Choose at least one field.')
  .max(100)
  .superRefine((fields, ctx) => {
    const seen = new Set<string>();
    for (const f of fields) {
      const column = f.exportAs ?? f.name;
      if (seen.has(column))
        ctx.addIssue({
          code: 'custom',
          message: `Two columns would be named "${column}": rename one (export as).`,
        });
      seen.add(column);
    }
  });

/** What to export: the whole tenant, one connection, every match of a query (any size), or picked users. */
export const exportSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tenant') }).strict(),
  z
    .object({
      kind: z.literal('connection'),
      connectionId: z.string().regex(/^con_[A-Za-z0-9]{16}$/, 'Not a connection id'),
      name: z.string().max(128),
    })
    .strict(),
  z.object({ kind: z.literal('query'), q: z.string().max(4000) }).strict(),
  z.object({ kind: z.literal('users'), userIds: z.array(userIdSchema).min(1).max(10_000) }).strict(),
]);
export type ExportSource = z.infer<typeof exportSourceSchema>;

export type ExportPhase =
  | 'starting'
  | 'pending'
  | 'processing'
  | 'downloading'
  | 'searching'
  | 'reading'
  | 'writing'
  | 'completed'
  | 'failed'
  | 'cancelled';

/** An export (or a snapshot import, or an export of a snapshot) as it goes; sent with every change of phase. */
export interface ExportStatus {
  exportId: string;
  kind: 'export' | 'import' | 'snapshot-export';
  tenantId: string | null;
  /** What is exported, in words ("every user of Acme as CSV"). */
  label: string;
  phase: ExportPhase;
  /** How the users are read: Auth0's export job, its search (up to 1,000), one by one, a snapshot, a file. */
  method: 'export-job' | 'search' | 'lookup' | 'snapshot' | 'file' | null;
  /** Auth0's own progress while its export job runs. */
  percentDone: number | null;
  timeLeftSeconds: number | null;
  /** Users read so far, and rows written (fewer when a query filters an export). */
  users: number;
  written: number;
  /** The phase in words. */
  message: string;
  /** Choices made along the way, in words ("asked Auth0 for JSON: 34 fields are more than its CSV takes"). */
  notes: string[];
  file?: DownloadRef;
  snapshot?: SnapshotSummary;
  error?: ErrorEnvelope;
}

/** A snapshot: a tenant's users at a moment, searchable and comparable offline. */
export interface SnapshotSummary {
  id: string;
  /** The tenant it was taken from (null for a file exported elsewhere, when unknown). */
  tenantId: string | null;
  tenantLabel: string;
  tenantDomain: string | null;
  environment: string | null;
  createdAt: string;
  /** What was exported, in words ("every user", "connection X", "users matching q"), and the query if any. */
  sourceLabel: string;
  query: string | null;
  /** The fields the export asked for (a snapshot always keeps whole users, searchable by any field). */
  fields: string[];
  count: number;
  origin: 'export' | 'file';
  fileName?: string;
  bytes: number;
}

export type CompareKind = 'added' | 'removed' | 'changed';

export interface CompareSummary {
  compareId: string;
  before: SnapshotSummary;
  after: SnapshotSummary;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  /** Per field, how many users it changed for, most first. */
  fields: { field: string; count: number }[];
  /** Both snapshots are of the same tenant (domain). */
  sameTenant: boolean;
  /** What users are matched by: user_id within a tenant; email (or a chosen field) across tenants. */
  key: string;
  /** The fields compared, or null for every field. */
  compared: string[] | null;
  /** Users without a value for the key (not compared), and users sharing their key with another of their side. */
  withoutKey: number;
  duplicateKeys: number;
}

export interface CompareItem {
  kind: CompareKind;
  userId: string;
  /** Matched by a field other than user_id: its value, and the user id on the other side (changed users). */
  key?: string;
  otherUserId?: string;
  email?: string;
  /** The fields that differ (changed users). */
  fields: string[];
  /** Those fields' values before and after (a whole user for added / removed). */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

// ---------- roles administration, user imports, work across tenants (issue #12) ----------

export interface RolePermission {
  /** The API's identifier (audience), e.g. https://reports.example.com/. */
  resourceServer: string;
  resourceServerName: string;
  name: string;
  description: string;
}

export interface RoleDetail {
  role: RoleSummary;
  /** Users holding the role (Auth0's total), or null when the grant may not list members. */
  memberCount: number | null;
  permissions: RolePermission[];
}

export interface RoleMember {
  user_id: string;
  email?: string;
  name?: string;
  picture?: string;
}

export interface ResourceServerSummary {
  id: string;
  name: string;
  identifier: string;
  /** Auth0's own APIs (the Management API): their scopes are not given to roles here. */
  isSystem: boolean;
  scopes: { value: string; description: string }[];
}

const roleNameSchema = z
  .string()
  .trim()
  .min(1, 'A role needs a name.')
  .max(50, 'A role name is at most 50 characters.');
const roleDescriptionSchema = z.string().trim().max(255, 'A description is at most 255 characters.');
const permissionRefSchema = z
  .object({ resourceServer: z.string().min(1).max(600), name: z.string().min(1).max(280) })
  .strict();
export type PermissionRef = z.infer<typeof permissionRefSchema>;
/** Permissions given to or taken from a role. */
const rolePermissionsChangeSchema = z
  .object({
    tenantId: idSchema,
    roleId: roleIdSchema,
    permissions: z.array(permissionRefSchema).min(1).max(100),
    guard: guardSchema,
  })
  .strict();

/** Fields of Auth0's bulk-import schema (its "Bulk User Import Database Schema"); nothing else is accepted. */
export const IMPORT_FIELDS = [
  'email',
  'email_verified',
  'user_id',
  'username',
  'given_name',
  'family_name',
  'name',
  'nickname',
  'picture',
  'blocked',
  'password_hash',
  'custom_password_hash',
  'app_metadata',
  'user_metadata',
  'mfa_factors',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const importFormats = ['json', 'ndjson', 'csv'] as const;
export type ImportFormat = (typeof importFormats)[number];
/** Auth0 accepts an import file of at most 500 KB; files are split into chunks under this. */
export const IMPORT_CHUNK_BYTES = 500_000;
/** Auth0 runs at most two import jobs at once per tenant. */
export const IMPORT_CONCURRENT_JOBS = 2;
/** A CSV column goes to an import field, into a metadata object by key (`user_metadata.plan`), or nowhere (''). */
export const IMPORT_TARGET_PATTERN =
  /^(?:|email|email_verified|user_id|username|given_name|family_name|name|nickname|picture|blocked|password_hash|custom_password_hash|app_metadata|user_metadata|mfa_factors|(?:app|user)_metadata\.[^.\s$][^.\s$]{0,254})$/;
const importMappingSchema = z.record(
  z.string().max(200),
  z
    .string()
    .regex(
      IMPORT_TARGET_PATTERN,
      'A column goes to an import field or to user_metadata.<key> / app_metadata.<key>',
    ),
);

export interface ImportRowError {
  /** 1-based: the line of a CSV or NDJSON file (the header is line 1 of a CSV), the element of a JSON array. */
  row: number;
  field?: string;
  message: string;
}

export interface ImportPreview {
  importId: string;
  tenantId: string;
  fileName: string;
  bytes: number;
  format: ImportFormat;
  connection: { id: string; name: string };
  /** The file is Auth0's own users export, converted to its import schema. */
  converted: boolean;
  notes: string[];
  /** CSV only: the header, the mapping in use (chosen or suggested) and a few rows. */
  columns?: string[];
  mapping?: Record<string, string>;
  sample?: string[][];
  rows: number;
  valid: number;
  /** The first rows with a problem (errorCount says how many in all); an import starts only with none. */
  errors: ImportRowError[];
  errorCount: number;
  chunks: number;
  /** Users that already exist in the connection decide nothing here: Auth0 answers for them (upsert or not). */
  ready: boolean;
}

export type ImportChunkState =
  'waiting' | 'sending' | 'pending' | 'processing' | 'completed' | 'failed' | 'unknown';

export interface ImportCounts {
  inserted: number;
  updated: number;
  failed: number;
  total: number;
}

export interface ImportChunk {
  index: number;
  firstRow: number;
  lastRow: number;
  rows: number;
  bytes: number;
  state: ImportChunkState;
  /** Auth0's job id once sent. */
  jobId?: string;
  summary?: ImportCounts;
  error?: string;
}

export type ImportStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

export interface ImportSummary {
  importId: string;
  tenantId: string;
  tenantDomain: string;
  fileName: string;
  format: ImportFormat;
  connectionId: string;
  connectionName: string;
  upsert: boolean;
  sendCompletionEmail: boolean;
  createdAt: string;
  finishedAt?: string;
  status: ImportStatus;
  rows: number;
  chunks: ImportChunk[];
  counts: ImportCounts;
  /** Why it stopped, in words. */
  message?: string;
}

/** A row Auth0 refused, with its error code (DUPLICATED_USER, INVALID_FORMAT…) and the row of the file. */
export interface ImportFailure {
  row: number | null;
  chunk: number;
  email?: string;
  code: string;
  message: string;
  path?: string;
}

export type CrossSearchResult =
  | { tenantId: string; ok: true; users: Auth0User[]; total: number; capped: boolean; ms: number }
  | { tenantId: string; ok: false; error: ErrorEnvelope; ms: number };

// ---------- the error envelope ----------

export const errorCodes = [
  'validation',
  'invalid_query',
  'not_found',
  'conflict',
  'unauthorized',
  'insufficient_scope',
  'rate_limited',
  'network',
  'tls',
  'timeout',
  'confirmation_required',
  'busy',
  'keychain_locked',
  'keychain_unavailable',
  'no_secret',
  'auth0_error',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorEnvelope {
  code: ErrorCode;
  /** For people; never contains a secret or token. */
  message: string;
  status?: number;
  auth0ErrorCode?: string;
  retryable: boolean;
  details?: unknown;
  /** Quoted by the user to find this failure in the diagnostics log. */
  incidentId?: string;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorEnvelope };

// ---------- channels ----------

const tenantFields = z.object({
  label: z.string().trim().min(1, 'Label is required').max(80),
  domain: domainSchema,
  clientId: z.string().trim().min(1, 'Client ID is required').max(128),
  authMethod: authMethodSchema,
  environment: environmentSchema,
  color: colorSchema,
  audience: z.string().url().max(512).nullable().optional(),
  caCert: pemSchema.nullable().optional(),
});
const tenantInput = tenantFields.extend({ authMethod: authMethodSchema.default('client_secret') });
/** Only the fields given: no defaults, or an edit of the label would reset the auth method. */
const tenantPatch = tenantFields.partial().strict();

/** A page of a user search (a tenant's or a snapshot's): the query, the page, its size and the sort. */
const searchPageFields = {
  q: z.string().max(4000).default(''),
  page: z.number().int().min(0).default(0),
  perPage: z.number().int().min(1).max(100).default(50),
  sort: z
    .string()
    .regex(/^[A-Za-z0-9_.]+:(1|-1)$/, 'Sort is field:1 or field:-1')
    .optional(),
};

export const channels = {
  'app:info': { input: z.object({}).strict(), output: {} as AppInfo },
  /** The window's preferences (table layouts per tenant, theme, density, panel width), kept in the data dir. */
  'prefs:get': { input: z.object({}).strict(), output: {} as Record<string, unknown> },
  'prefs:set': {
    input: z
      .object({
        key: z.string().regex(/^[\w:.-]{1,200}$/, 'A preference name is letters, digits and : . _ -'),
        // null removes it; a value is any JSON up to 16 KiB.
        value: z.unknown().refine((v) => v !== undefined && JSON.stringify(v).length <= 16 * 1024, {
          message: 'A preference is any JSON value up to 16 KiB',
        }),
      })
      .strict(),
    output: {} as { saved: true },
  },
  'keychain:status': { input: z.object({}).strict(), output: {} as KeychainStatus },
  'tenants:list': { input: z.object({}).strict(), output: {} as TenantProfile[] },
  'tenants:add': {
    input: tenantInput
      .extend({
        /** The client secret, or the private key PEM for private_key_jwt. Write-only. */
        secret: z
          .string()
          .min(1, 'Secret is required')
          .max(64 * 1024),
        secretStorage: secretStorageSchema.default('keychain'),
      })
      .strict(),
    output: {} as TenantProfile,
  },
  'tenants:update': {
    input: z.object({ id: idSchema, patch: tenantPatch, guard: guardSchema }).strict(),
    output: {} as TenantProfile,
  },
  'tenants:set-secret': {
    input: z
      .object({
        id: idSchema,
        secret: z
          .string()
          .min(1)
          .max(64 * 1024),
        secretStorage: secretStorageSchema.default('keychain'),
        guard: guardSchema,
      })
      .strict(),
    output: {} as TenantProfile,
  },
  'tenants:remove-secret': {
    input: z.object({ id: idSchema, guard: guardSchema }).strict(),
    output: {} as TenantProfile,
  },
  'tenants:remove': {
    input: z.object({ id: idSchema, guard: guardSchema }).strict(),
    output: {} as { id: string },
  },
  'tenants:test-connection': {
    input: z.object({ id: idSchema }).strict(),
    output: {} as ConnectionTestResult,
  },
  /** Start the local tenant (its own process) and point its profile at it, adding the profile on first run. */
  'sandbox:start': { input: z.object({}).strict(), output: {} as TenantProfile },
  'sandbox:status': { input: z.object({}).strict(), output: {} as LocalTenantStatus },
  'audit:list': {
    input: z
      .object({
        tenantId: idSchema.optional(),
        action: z.string().max(64).optional(),
        target: z.string().max(256).optional(),
        /** Only the entries of one bulk job (the job's own and each user's). */
        jobId: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    output: {} as AuditEntry[],
  },
  // ---- users (issue #4) ----
  'users:search': {
    input: z
      .object({
        tenantId: idSchema,
        ...searchPageFields,
      })
      .strict(),
    output: {} as UserSearchResult,
  },
  'users:get': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as Auth0User,
  },
  'users:create': {
    input: z
      .object({
        tenantId: idSchema,
        connection: z.string().min(1).max(128),
        email: z.string().trim().email('Enter a valid email address'),
        password: z.string().min(1).max(512),
        name: z.string().trim().max(300).optional(),
        emailVerified: z.boolean().default(false),
        verifyEmail: z.boolean().default(true),
        guard: guardSchema,
      })
      .strict(),
    output: {} as Auth0User,
  },
  'users:update-metadata': {
    input: z
      .object({
        tenantId: idSchema,
        userId: userIdSchema,
        kind: z.enum(['user_metadata', 'app_metadata']),
        /** Only changed top-level keys; null removes a key (Auth0's merge rules). */
        changes: z.preprocess((raw, ctx) => {
          if (hasProtoKey(raw))
            ctx.addIssue({ code: 'custom', message: 'A metadata key cannot be "__proto__".' });
          return raw;
        }, metadataChangesSchema()),
        /** updated_at of the user as loaded: a newer one on the tenant means someone else changed it. */
        expectedUpdatedAt: z.string().min(1),
        guard: guardSchema,
      })
      .strict()
      .superRefine((input, ctx) => {
        for (const key of Object.keys(input.changes)) {
          const problem = metadataKeyProblem(input.kind, key);
          if (problem) ctx.addIssue({ code: 'custom', path: ['changes', key], message: problem });
        }
      }),
    output: {} as Auth0User,
  },
  'users:update-profile': {
    input: z
      .object({
        tenantId: idSchema,
        userId: userIdSchema,
        changes: profileChangesSchema,
        /** updated_at of the user as loaded: a newer one on the tenant means someone else changed it. */
        expectedUpdatedAt: z.string().min(1),
        guard: guardSchema,
      })
      .strict(),
    output: {} as Auth0User,
  },
  'users:set-blocked': {
    input: z
      .object({
        tenantId: idSchema,
        userId: userIdSchema,
        blocked: z.boolean(),
        guard: guardSchema,
      })
      .strict(),
    output: {} as Auth0User,
  },
  'users:unblock-brute-force': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as { ok: true },
  },
  'users:blocks': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as { identifier: string; ip?: string; connection?: string }[],
  },
  'users:delete': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as { userId: string },
  },
  'users:set-email-verified': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as Auth0User,
  },
  'users:send-verification-email': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as { jobId: string },
  },
  'users:password-ticket': {
    input: z
      .object({
        tenantId: idSchema,
        userId: userIdSchema,
        ttlSec: z.number().int().min(60).max(2_592_000).default(86_400),
        resultUrl: z.string().url().max(2048).optional(),
        markEmailVerified: z.boolean().default(false),
        guard: guardSchema,
      })
      .strict(),
    output: {} as { ticket: string; expiresAt: string },
  },
  'users:reset-email': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as { sentTo: string },
  },
  'users:set-password': {
    input: z
      .object({
        tenantId: idSchema,
        userId: userIdSchema,
        password: z.string().min(1).max(512),
        guard: guardSchema,
      })
      .strict(),
    output: {} as Auth0User,
  },
  'users:mfa': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as MfaState,
  },
  'users:mfa-reset': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as MfaState,
  },
  'users:invalidate-remember-browser': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as { ok: true },
  },
  'users:roles': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as RoleSummary[],
  },
  'users:assign-roles': {
    input: z
      .object({
        tenantId: idSchema,
        userId: userIdSchema,
        roleIds: z.array(z.string().min(1).max(64)).min(1).max(50),
        guard: guardSchema,
      })
      .strict(),
    output: {} as RoleSummary[],
  },
  'users:remove-roles': {
    input: z
      .object({
        tenantId: idSchema,
        userId: userIdSchema,
        roleIds: z.array(z.string().min(1).max(64)).min(1).max(50),
        guard: guardSchema,
      })
      .strict(),
    output: {} as RoleSummary[],
  },
  'users:logs': {
    input: z
      .object({ tenantId: idSchema, userId: userIdSchema, page: z.number().int().min(0).max(19).default(0) })
      .strict(),
    output: {} as { logs: LogEventSummary[]; total: number },
  },
  // ---- tenant logs (issue #11) ----
  /** Auth0's log search: newest first, within its first 1,000 results. */
  'logs:search': {
    input: z
      .object({
        tenantId: idSchema,
        q: z.string().max(4000).default(''),
        page: z.number().int().min(0).max(99).default(0),
        perPage: z.number().int().min(10).max(100).default(50),
      })
      .strict(),
    output: {} as { logs: LogEventSummary[]; total: number; capped: boolean },
  },
  /**
   * Events after a checkpoint (a log id), oldest first, with no 1,000 limit; Auth0 ignores a query there, so `q` is
   * applied by main to what was read. Without `from`: the newest `take`. The live tail calls this from the newest
   * event seen.
   */
  'logs:checkpoint': {
    input: z
      .object({
        tenantId: idSchema,
        from: z
          .string()
          .regex(/^[\w-]{1,128}$/)
          .optional(),
        take: z.number().int().min(1).max(100).default(100),
        q: z.string().max(4000).default(''),
      })
      .strict(),
    output: {} as { logs: LogEventSummary[]; next: string | null; read: number },
  },
  /** One log event whole (the detail drawer's raw event). */
  'logs:get': {
    input: z
      .object({
        tenantId: idSchema,
        logId: z.string().regex(/^[\w-]{1,128}$/),
      })
      .strict(),
    output: {} as Record<string, unknown>,
  },
  // ---- bulk edits (issue #9) ----
  /** Finds the users and works out what would change for each; nothing is sent. Progress: bulk:planning. */
  'bulk:plan': {
    input: z
      .object({
        tenantId: idSchema,
        planId: z.string().regex(/^[\w-]{8,64}$/),
        source: bulkSourceSchema,
        change: bulkChangeSchema,
      })
      .strict(),
    output: {} as BulkPlanSummary,
  },
  'bulk:cancel-plan': {
    input: z.object({ planId: z.string().max(64) }).strict(),
    output: {} as { ok: true },
  },
  'bulk:plan-items': {
    input: z
      .object({
        planId: z.string().max(64),
        status: z.enum(['change', 'skip']).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: {} as { items: BulkPlanItem[]; total: number },
  },
  /** The users of a plan as they were read, as JSON: a copy to keep before deleting them. */
  'bulk:save-users': {
    input: z.object({ planId: z.string().max(64) }).strict(),
    output: {} as DownloadRef,
  },
  'bulk:start': {
    input: z.object({ planId: z.string().max(64), guard: guardSchema }).strict(),
    output: {} as JobSummary,
  },
  'jobs:list': {
    input: z.object({ tenantId: idSchema.optional() }).strict(),
    output: {} as JobSummary[],
  },
  'jobs:get': { input: z.object({ jobId: z.string().max(64) }).strict(), output: {} as JobSummary },
  'jobs:items': {
    input: z
      .object({
        jobId: z.string().max(64),
        state: z.enum(['planned', 'sent', 'done', 'skipped', 'failed', 'unknown', 'cancelled']).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: {} as { items: JobItem[]; total: number },
  },
  'jobs:control': {
    input: z.object({ jobId: z.string().max(64), action: z.enum(['pause', 'resume', 'cancel']) }).strict(),
    output: {} as JobSummary,
  },
  /** A new plan for the users that failed (read again, so it is current). */
  'jobs:retry-plan': {
    input: z.object({ jobId: z.string().max(64), planId: z.string().regex(/^[\w-]{8,64}$/) }).strict(),
    output: {} as BulkPlanSummary,
  },
  /** A plan that undoes a finished job, user by user; users changed since are skipped and listed. */
  'jobs:undo-plan': {
    input: z.object({ jobId: z.string().max(64), planId: z.string().regex(/^[\w-]{8,64}$/) }).strict(),
    output: {} as BulkPlanSummary,
  },
  /** Per-user outcomes as CSV (and, for password links, each link with its expiry). */
  'jobs:export': { input: z.object({ jobId: z.string().max(64) }).strict(), output: {} as DownloadRef },
  'roles:search': {
    input: z.object({ tenantId: idSchema, nameFilter: z.string().max(100).default('') }).strict(),
    output: {} as { roles: RoleSummary[]; total: number },
  },
  'connections:list': { input: z.object({ tenantId: idSchema }).strict(), output: {} as ConnectionSummary[] },
  // ---- roles administration (issue #12) ----
  'roles:list': {
    input: z
      .object({
        tenantId: idSchema,
        nameFilter: z.string().max(100).default(''),
        page: z.number().int().min(0).default(0),
        perPage: z.number().int().min(1).max(100).default(50),
      })
      .strict(),
    output: {} as { roles: RoleSummary[]; total: number },
  },
  'roles:get': {
    input: z.object({ tenantId: idSchema, roleId: roleIdSchema }).strict(),
    output: {} as RoleDetail,
  },
  'roles:create': {
    input: z
      .object({
        tenantId: idSchema,
        name: roleNameSchema,
        description: roleDescriptionSchema.default(''),
        guard: guardSchema,
      })
      .strict(),
    output: {} as RoleSummary,
  },
  'roles:update': {
    input: z
      .object({
        tenantId: idSchema,
        roleId: roleIdSchema,
        name: roleNameSchema.optional(),
        description: roleDescriptionSchema.optional(),
        guard: guardSchema,
      })
      .strict()
      .refine(
        (i) => i.name !== undefined || i.description !== undefined,
        'Change the name or the description.',
      ),
    output: {} as RoleSummary,
  },
  'roles:delete': {
    input: z.object({ tenantId: idSchema, roleId: roleIdSchema, guard: guardSchema }).strict(),
    output: {} as { deleted: true },
  },
  /** One page of a role's members by checkpoint (no limit on how far); `next` is null on the last page. */
  'roles:members': {
    input: z
      .object({
        tenantId: idSchema,
        roleId: roleIdSchema,
        from: z.string().max(2000).optional(),
        take: z.number().int().min(1).max(100).default(50),
      })
      .strict(),
    output: {} as { members: RoleMember[]; next: string | null },
  },
  'roles:add-members': {
    input: z
      .object({
        tenantId: idSchema,
        roleId: roleIdSchema,
        userIds: z.array(userIdSchema).min(1).max(1000),
        guard: guardSchema,
      })
      .strict(),
    output: {} as { added: number },
  },
  /** Each user loses the role by its own audited write (Auth0 removes roles only from a user). */
  'roles:remove-members': {
    input: z
      .object({
        tenantId: idSchema,
        roleId: roleIdSchema,
        userIds: z.array(userIdSchema).min(1).max(100),
        guard: guardSchema,
      })
      .strict(),
    output: {} as { removed: number; failed: { userId: string; error: ErrorEnvelope }[] },
  },
  'roles:add-permissions': {
    input: rolePermissionsChangeSchema,
    output: {} as RolePermission[],
  },
  'roles:remove-permissions': {
    input: rolePermissionsChangeSchema,
    output: {} as RolePermission[],
  },
  /** Every member (read by checkpoint) as CSV. */
  'roles:export-members': {
    input: z.object({ tenantId: idSchema, roleId: roleIdSchema }).strict(),
    output: {} as DownloadRef,
  },
  'resource-servers:list': {
    input: z.object({ tenantId: idSchema }).strict(),
    output: {} as ResourceServerSummary[],
  },
  // ---- user imports (issue #12) ----
  /** Reads and checks an uploaded file against Auth0's import schema and splits it; nothing is sent. */
  'imports:prepare': {
    input: z
      .object({
        tenantId: idSchema,
        importId: importIdSchema,
        uploadId: uploadIdSchema,
        fileName: z.string().trim().min(1).max(260),
        connectionId: z.string().min(1).max(64),
        format: z.enum(importFormats).optional(),
        mapping: importMappingSchema.optional(),
      })
      .strict(),
    output: {} as ImportPreview,
  },
  /** Sends a prepared import, chunk by chunk, two Auth0 jobs at a time (progress: import:progress). */
  'imports:start': {
    input: z
      .object({
        importId: importIdSchema,
        upsert: z.boolean().default(false),
        sendCompletionEmail: z.boolean().default(false),
        guard: guardSchema,
      })
      .strict(),
    output: {} as ImportSummary,
  },
  'imports:list': {
    input: z.object({ tenantId: idSchema.optional() }).strict(),
    output: {} as ImportSummary[],
  },
  'imports:get': {
    input: z.object({ importId: importIdSchema }).strict(),
    output: {} as ImportSummary,
  },
  /**
   * Chunks not yet sent are not sent; Auth0 finishes the jobs it already has. An interrupted import can be cancelled
   * too (instead of resumed): its unsent parts are removed.
   */
  'imports:cancel': {
    input: z.object({ importId: importIdSchema }).strict(),
    output: {} as ImportSummary,
  },
  /** An import that was running when Tenant Desk stopped: chunks sent are followed up, the rest sent. */
  'imports:resume': {
    input: z.object({ importId: importIdSchema }).strict(),
    output: {} as ImportSummary,
  },
  'imports:failures': {
    input: z
      .object({
        importId: importIdSchema,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: {} as { items: ImportFailure[]; total: number },
  },
  'imports:failures-export': {
    input: z.object({ importId: importIdSchema }).strict(),
    output: {} as DownloadRef,
  },
  /** An example file for the connection, CSV (with the mapping's column names) or Auth0's JSON. */
  'imports:template': {
    input: z
      .object({
        tenantId: idSchema,
        connectionId: z.string().min(1).max(64),
        format: z.enum(['csv', 'json']),
      })
      .strict(),
    output: {} as DownloadRef,
  },
  // ---- across tenants (issue #12) ----
  /** One query on several tenants at once, each at its own rate limit; a tenant that fails does not hide the rest. */
  'cross:search': {
    input: z
      .object({
        tenantIds: z
          .array(idSchema)
          .min(1, 'Choose at least one tenant.')
          .max(12)
          .refine((ids) => new Set(ids).size === ids.length, 'A tenant is chosen twice.'),
        q: z.string().max(4000).default(''),
        perTenant: z.number().int().min(1).max(100).default(50),
        sort: searchPageFields.sort,
      })
      .strict(),
    output: {} as { results: CrossSearchResult[] },
  },
  /**
   * Two tenants' users matched by a field (email by default): only in A, only in B, in both with chosen fields
   * different. Takes a fresh snapshot of each (progress: export:progress for `${runId}-a` and `${runId}-b`);
   * the comparison is paged and exported with snapshots:compare-items / snapshots:compare-export.
   */
  'cross:compare': {
    input: z
      .object({
        runId: z.string().regex(/^[\w-]{8,48}$/),
        tenantA: idSchema,
        tenantB: idSchema,
        key: fieldPathSchema(
          'Match by a user field (email), or an app_metadata / user_metadata path',
        ).default('email'),
        fields: z
          .array(fieldPathSchema('Compare user fields, identities[0].connection or metadata paths'))
          .min(1, 'Choose at least one field to compare.')
          .max(30),
      })
      .strict()
      .refine((i) => i.tenantA !== i.tenantB, 'Choose two different tenants.'),
    output: {} as CompareSummary,
  },
  /** Written to a file in main, streamed from the audit log; hand the result to downloads:save. */
  'audit:export-csv': {
    input: z
      .object({
        tenantId: idSchema.optional(),
        action: z.string().max(64).optional(),
        target: z.string().max(256).optional(),
      })
      .strict(),
    output: {} as DownloadRef,
  },
  /** Starts an export (progress: export:progress); the file, and the snapshot if kept, come with its last event. */
  'exports:start': {
    input: z
      .object({
        tenantId: idSchema,
        exportId: z.string().regex(/^[\w-]{8,64}$/),
        source: exportSourceSchema,
        fields: exportFieldsSchema,
        format: z.enum(exportFormats),
        /** A byte-order mark, so Excel reads UTF-8 CSV right. */
        bom: z.boolean().default(false),
        keepSnapshot: z.boolean().default(false),
      })
      .strict(),
    output: {} as ExportStatus,
  },
  'exports:cancel': {
    input: z.object({ exportId: z.string().regex(/^[\w-]{8,64}$/) }).strict(),
    output: {} as ExportStatus,
  },
  'snapshots:list': { input: z.object({}).strict(), output: {} as SnapshotSummary[] },
  /** Searches a snapshot offline with Auth0's syntax and the tenant's rules, without the 1,000-result cap. */
  'snapshots:search': {
    input: z
      .object({
        snapshotId: snapshotIdSchema,
        ...searchPageFields,
      })
      .strict(),
    output: {} as UserSearchResult & { ms: number },
  },
  'snapshots:user': {
    input: z.object({ snapshotId: snapshotIdSchema, userId: userIdSchema }).strict(),
    output: {} as Auth0User,
  },
  'snapshots:delete': {
    input: z.object({ snapshotId: snapshotIdSchema }).strict(),
    output: {} as { deleted: true },
  },
  /** A file exported elsewhere (Auth0's NDJSON or CSV export, gzipped or not; a JSON array) as a snapshot. */
  'snapshots:import': {
    input: z
      .object({
        exportId: z.string().regex(/^[\w-]{8,64}$/),
        uploadId: uploadIdSchema,
        label: z.string().trim().min(1, 'Name the snapshot').max(80),
        tenantId: idSchema.optional(),
      })
      .strict(),
    output: {} as ExportStatus,
  },
  /** The users of a snapshot (every one, or a query's matches) as a file. */
  'snapshots:export': {
    input: z
      .object({
        snapshotId: snapshotIdSchema,
        exportId: z.string().regex(/^[\w-]{8,64}$/),
        q: z.string().max(4000).default(''),
        fields: exportFieldsSchema,
        format: z.enum(exportFormats),
        bom: z.boolean().default(false),
      })
      .strict(),
    output: {} as ExportStatus,
  },
  'snapshots:compare': {
    input: z.object({ before: snapshotIdSchema, after: snapshotIdSchema }).strict(),
    output: {} as CompareSummary,
  },
  'snapshots:compare-items': {
    input: z
      .object({
        compareId: z.string().regex(/^cmp_[0-9a-f]{16}$/),
        kind: z.enum(['added', 'removed', 'changed']),
        field: z.string().max(300).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    output: {} as { items: CompareItem[]; total: number },
  },
  'snapshots:compare-export': {
    input: z.object({ compareId: z.string().regex(/^cmp_[0-9a-f]{16}$/) }).strict(),
    output: {} as DownloadRef,
  },
  /** A file from the window, in pieces (base64, at most 3 MB of file each), written to the data dir. */
  'uploads:begin': {
    input: z
      .object({
        name: z.string().trim().min(1).max(260),
        bytes: z
          .number()
          .int()
          .min(1)
          .max(8 * 1024 ** 3),
      })
      .strict(),
    output: {} as { uploadId: string },
  },
  'uploads:chunk': {
    input: z
      .object({
        uploadId: uploadIdSchema,
        offset: z.number().int().min(0),
        data: z
          .string()
          .max(4 * 1024 * 1024 + 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64'),
      })
      .strict(),
    output: {} as { received: number },
  },
  'uploads:finish': {
    input: z.object({ uploadId: uploadIdSchema }).strict(),
    output: {} as { uploadId: string; bytes: number },
  },
  /** Electron: the native save dialog. Browser host: a one-time URL the page opens as a download. */
  'downloads:save': {
    input: z.object({ id: z.string().regex(/^dl_[0-9a-f]{32}$/) }).strict(),
    output: {} as { saved: true; path: string } | { saved: false } | { url: string },
  },
} as const;

export type Channels = typeof channels;

// ---------- the production guard: one policy, used by the window and enforced again by main ----------

export type GuardLevel = 'none' | 'confirm' | 'typed-domain' | 'typed-domain-and-count';
/**
 * write: asks for confirmation on a production tenant; destructive: needs the domain typed back there; bulk: the
 * domain and the number of users typed back.
 */
export type WriteRisk = 'none' | 'write' | 'destructive' | 'bulk';

/** Profile fields that decide which tenant a profile reaches or whether it is guarded. */
const TENANT_IDENTITY_FIELDS = [
  'environment',
  'domain',
  'clientId',
  'authMethod',
  'audience',
  'caCert',
] as const;

/** Every channel that changes a tenant, or the profile that points at one, and what it risks. */
export const writeRisk = {
  'tenants:update': (input: { patch: Record<string, unknown> }) =>
    TENANT_IDENTITY_FIELDS.some((f) => input.patch[f] !== undefined) ? 'destructive' : 'none',
  'tenants:set-secret': () => 'write',
  'tenants:remove-secret': () => 'write',
  'tenants:remove': () => 'write',
  'users:create': () => 'write',
  'users:update-metadata': () => 'write',
  'users:update-profile': () => 'write',
  'users:set-blocked': (input: { blocked: boolean }) => (input.blocked ? 'destructive' : 'write'),
  'users:unblock-brute-force': () => 'write',
  'users:delete': () => 'destructive',
  'users:set-email-verified': () => 'write',
  'users:send-verification-email': () => 'write',
  'users:password-ticket': () => 'write',
  'users:reset-email': () => 'write',
  'users:set-password': () => 'destructive',
  'users:mfa-reset': () => 'destructive',
  'users:invalidate-remember-browser': () => 'write',
  'users:assign-roles': () => 'write',
  'users:remove-roles': () => 'destructive',
  'bulk:start': () => 'bulk',
  'roles:create': () => 'write',
  'roles:update': () => 'write',
  'roles:delete': () => 'destructive',
  'roles:add-members': () => 'write',
  'roles:remove-members': () => 'destructive',
  'roles:add-permissions': () => 'write',
  'roles:remove-permissions': () => 'destructive',
  'imports:start': () => 'bulk',
} satisfies Partial<{ [C in ChannelName]: (input: ChannelParsedInput<C>) => WriteRisk }>;

export type WriteChannel = keyof typeof writeRisk;
export const writeChannels = Object.keys(writeRisk) as WriteChannel[];

export function isWriteChannel(channel: string): channel is WriteChannel {
  return Object.prototype.hasOwnProperty.call(writeRisk, channel);
}

/** What the production guard asks before this write on a tenant of this environment. */
export function guardLevel<C extends WriteChannel>(
  channel: C,
  environment: Environment,
  input: Parameters<(typeof writeRisk)[C]>[0],
): GuardLevel {
  if (environment !== 'production') return 'none';
  const risk = (writeRisk[channel] as (i: typeof input) => WriteRisk)(input);
  return risk === 'bulk'
    ? 'typed-domain-and-count'
    : risk === 'destructive'
      ? 'typed-domain'
      : risk === 'write'
        ? 'confirm'
        : 'none';
}

/**
 * Whether a guard answer satisfies a level for a tenant's domain (and, for a bulk job, the number of users it
 * changes); the same check in the window and in main.
 */
export function guardSatisfied(
  level: GuardLevel,
  domain: string,
  answer: GuardAnswer,
  count?: number,
): boolean {
  if (level === 'none') return true;
  if (!answer?.confirmed) return false;
  if (level === 'confirm') return true;
  const domainOk = (answer.typedDomain ?? '').trim().toLowerCase() === domain.toLowerCase();
  if (level === 'typed-domain') return domainOk;
  return domainOk && count !== undefined && answer.typedCount === count;
}
export type ChannelName = keyof Channels;
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ChannelParsedInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = Channels[C]['output'];
export const channelNames = Object.keys(channels) as ChannelName[];

// ---------- events (main → renderer) ----------

export interface Events {
  'tenants:changed': { tenants: TenantProfile[] };
  'sandbox:changed': LocalTenantStatus;
  /** A tenant's request queue stopped moving (the scheduler's watchdog); shown until it moves again. */
  'tenants:stalled': { tenantId: string; queued: number; inFlight: number; seconds: number };
  /** Finding the users of a plan: a phase in words and how far along it is. */
  'bulk:planning': { planId: string; phase: string; done: number; total: number | null };
  /** A job's progress, a few times a second at most; also on every change of status. */
  'job:progress': JobSummary;
  /** An export's (or a snapshot import's) progress, a few times a second at most; every change of phase. */
  'export:progress': ExportStatus;
  /** An import's progress: each chunk's state, the counts so far; every change of status. */
  'import:progress': ImportSummary;
}
export type EventName = keyof Events;
export const eventNames: EventName[] = [
  'tenants:changed',
  'sandbox:changed',
  'tenants:stalled',
  'bulk:planning',
  'job:progress',
  'export:progress',
  'import:progress',
];

/** The one object the preload (or the browser host's client) puts on `window.tenantDesk`. */
export interface TenantDeskApi {
  invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
