// The single typed contract between the renderer and main: channels, request schemas, response and event types.
// It imports nothing but zod, so the renderer, the preload and main can all depend on it.
import { z } from 'zod';

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
/** Destructive actions on a production tenant need its domain typed back; main checks it too. */
const confirmSchema = z.string().max(253).optional();
const pemSchema = z
  .string()
  .max(64 * 1024)
  .regex(/-----BEGIN [A-Z ]+-----/, 'Expected a PEM block');

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
  'tickets:password-change',
  'tickets:email-verification',
  'jobs:verification-email',
  'jobs:export',
  'jobs:import',
  'roles:read',
  'roles:assign',
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
}

export interface AuditEntry {
  time: string;
  osUser: string;
  tenantId: string;
  tenantDomain: string;
  action: string;
  target: string | null;
  before?: unknown;
  after?: unknown;
  outcome: 'success' | 'failure';
  error?: string;
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
}

export interface LogEventSummary {
  log_id: string;
  date: string;
  type: string;
  description?: string;
  ip?: string;
  client_name?: string;
  connection?: string;
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
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorEnvelope };

// ---------- channels ----------

const tenantInput = z.object({
  label: z.string().trim().min(1, 'Label is required').max(80),
  domain: domainSchema,
  clientId: z.string().trim().min(1, 'Client ID is required').max(128),
  authMethod: authMethodSchema.default('client_secret'),
  environment: environmentSchema,
  color: colorSchema,
  audience: z.string().url().max(512).nullable().optional(),
  caCert: pemSchema.nullable().optional(),
});

export const channels = {
  'app:info': { input: z.object({}).strict(), output: {} as AppInfo },
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
    input: z.object({ id: idSchema, patch: tenantInput.partial().strict() }).strict(),
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
      })
      .strict(),
    output: {} as TenantProfile,
  },
  'tenants:remove-secret': { input: z.object({ id: idSchema }).strict(), output: {} as TenantProfile },
  'tenants:remove': { input: z.object({ id: idSchema }).strict(), output: {} as { id: string } },
  'tenants:test-connection': {
    input: z.object({ id: idSchema }).strict(),
    output: {} as ConnectionTestResult,
  },
  /** First run: start the local tenant in-process and add a Sandbox profile for it. */
  'sandbox:start': { input: z.object({}).strict(), output: {} as TenantProfile },
  'audit:list': {
    input: z
      .object({
        tenantId: idSchema.optional(),
        action: z.string().max(64).optional(),
        target: z.string().max(256).optional(),
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
        q: z.string().max(4000).default(''),
        page: z.number().int().min(0).default(0),
        perPage: z.number().int().min(1).max(100).default(50),
        sort: z
          .string()
          .regex(/^[A-Za-z0-9_.]+:(1|-1)$/, 'Sort is field:1 or field:-1')
          .optional(),
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
        changes: z.record(z.string().min(1).max(255), z.unknown()),
        /** updated_at of the user as loaded: a newer one on the tenant means someone else changed it. */
        expectedUpdatedAt: z.string().min(1),
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
        confirmDomain: confirmSchema,
      })
      .strict(),
    output: {} as Auth0User,
  },
  'users:unblock-brute-force': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as { ok: true },
  },
  'users:blocks': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as { identifier: string; ip?: string; connection?: string }[],
  },
  'users:delete': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, confirmDomain: confirmSchema }).strict(),
    output: {} as { userId: string },
  },
  'users:set-email-verified': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as Auth0User,
  },
  'users:send-verification-email': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
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
      })
      .strict(),
    output: {} as { ticket: string; expiresAt: string },
  },
  'users:reset-email': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as { sentTo: string },
  },
  'users:set-password': {
    input: z
      .object({
        tenantId: idSchema,
        userId: userIdSchema,
        password: z.string().min(1).max(512),
        confirmDomain: confirmSchema,
      })
      .strict(),
    output: {} as Auth0User,
  },
  'users:mfa': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as MfaState,
  },
  'users:mfa-reset': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, confirmDomain: confirmSchema }).strict(),
    output: {} as MfaState,
  },
  'users:invalidate-remember-browser': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
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
        confirmDomain: confirmSchema,
      })
      .strict(),
    output: {} as RoleSummary[],
  },
  'users:logs': {
    input: z
      .object({ tenantId: idSchema, userId: userIdSchema, page: z.number().int().min(0).default(0) })
      .strict(),
    output: {} as { logs: LogEventSummary[]; total: number },
  },
  'roles:search': {
    input: z.object({ tenantId: idSchema, nameFilter: z.string().max(100).default('') }).strict(),
    output: {} as { roles: RoleSummary[]; total: number },
  },
  'connections:list': { input: z.object({ tenantId: idSchema }).strict(), output: {} as ConnectionSummary[] },
  'audit:export-csv': {
    input: z
      .object({
        tenantId: idSchema.optional(),
        action: z.string().max(64).optional(),
        target: z.string().max(256).optional(),
      })
      .strict(),
    output: {} as { csv: string; filename: string },
  },
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ChannelParsedInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = Channels[C]['output'];
export const channelNames = Object.keys(channels) as ChannelName[];

// ---------- events (main → renderer) ----------

export interface Events {
  'tenants:changed': { tenants: TenantProfile[] };
  'job:progress': { jobId: string; done: number; total: number | null; message?: string };
  'job:finished': { jobId: string; outcome: 'success' | 'failure' | 'cancelled'; error?: ErrorEnvelope };
}
export type EventName = keyof Events;
export const eventNames: EventName[] = ['tenants:changed', 'job:progress', 'job:finished'];

/** The one object the preload (or the browser host's client) puts on `window.tenantDesk`. */
export interface TenantDeskApi {
  invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
