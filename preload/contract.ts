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
