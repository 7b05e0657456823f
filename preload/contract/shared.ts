// Shapes every slice of the contract shares: tenant environments, ids, the guard's answer and policy words, the error
// envelope, and a page of a search.
import { z } from 'zod';

export const environmentSchema = z.enum(['production', 'staging', 'development', 'custom']);
export type Environment = z.infer<typeof environmentSchema>;

export const authMethodSchema = z.enum(['client_secret', 'private_key_jwt']);
export type AuthMethod = z.infer<typeof authMethodSchema>;

/** Where a tenant's secret lives: the OS keychain, or (by the user's choice when no keychain works) memory until quit. */
export const secretStorageSchema = z.enum(['keychain', 'session']);
export type SecretStorage = z.infer<typeof secretStorageSchema>;

/**
 * A tenant's host, with its port if one is given, from what was typed or pasted: a URL ("https://acme.eu.auth0.com/",
 * "https://acme.eu.auth0.com/api/v2/"), a host with a path or a trailing slash, or the host itself ("127.0.0.1:8443").
 * The scheme, any user name, path, query and fragment are dropped; the host is lower-cased.
 */
export function hostOfDomain(value: string): string {
  return value
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/^[^/?#@]*@/, '')
    .split(/[/?#]/, 1)[0]!
    .replace(/\.$/, '')
    .toLowerCase();
}

/** A tenant's domain: a URL or a host with a path is taken as its host (and port), then checked. */
export const domainSchema = z
  .string()
  .transform(hostOfDomain)
  .pipe(
    z
      .string()
      .min(1, 'Domain is required')
      .max(253)
      .regex(
        /^[a-z0-9.-]+(:\d{1,5})?$/i,
        'Domain is a host name with an optional port, like acme.eu.auth0.com or 127.0.0.1:8443',
      ),
  );
export const colorSchema = z.string().regex(/^#[0-9a-f]{6}$/i, 'Colour is a #rrggbb value');
export const idSchema = z.string().min(1).max(64);

/**
 * A channel bound to one tenant declares where its input names it (`tenant: byTenantId`); main waits for that tenant
 * (a local tenant restarting) before the request runs, and the CLI and the audit read it the same way. contract.ts
 * checks at compile time that every channel whose input has a `tenantId` declares it, and that it fits the input.
 */
export const byTenantId = (input: { tenantId: string }): string => input.tenantId;
/** The tenants' own channels name the tenant profile they change by `id`. */
export const byId = (input: { id: string }): string => input.id;
export const userIdSchema = z.string().min(1).max(512);
export const snapshotIdSchema = z.string().regex(/^snap_[0-9a-f]{16}$/, 'Not a snapshot id');
export const uploadIdSchema = z.string().regex(/^up_[0-9a-f]{32}$/, 'Not an upload id');
export const importIdSchema = z.string().regex(/^imp_[0-9a-f]{16}$/, 'Not an import id');
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

/**
 * Why a write is made: a ticket reference and/or a note. Any write to a tenant may carry one (beside its input, as
 * `reason`); a tenant set to require one refuses writes without it. Kept in the audit entry of the write, and of each
 * user of a bulk job or import.
 */
export const reasonSchema = z
  .object({
    ticket: z.string().trim().max(64, 'A ticket reference is at most 64 characters.').optional(),
    note: z.string().trim().max(500, 'A note is at most 500 characters.').optional(),
  })
  .strict();
export type Reason = z.infer<typeof reasonSchema>;
/** Whether a reason says anything. */
export const hasReason = (r: Reason | undefined): boolean => !!(r?.ticket?.trim() || r?.note?.trim());
export const pemSchema = z
  .string()
  .max(64 * 1024)
  .regex(/-----BEGIN [A-Z ]+-----/, 'Expected a PEM block');

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

export type GuardLevel = 'none' | 'confirm' | 'typed-domain' | 'typed-domain-and-count';
/**
 * write: asks for confirmation on a production tenant; destructive: needs the domain typed back there; bulk: the
 * domain and the number of users typed back.
 */
export type WriteRisk = 'none' | 'write' | 'destructive' | 'bulk';

/** Profile fields that decide which tenant a profile reaches or whether it is guarded. */
export const TENANT_IDENTITY_FIELDS = [
  'environment',
  'domain',
  'clientId',
  'authMethod',
  'audience',
  'caCert',
] as const;

/** A page of a user search (a tenant's or a snapshot's): the query, the page, its size and the sort. */
export const searchPageFields = {
  q: z.string().max(4000).default(''),
  page: z.number().int().min(0).default(0),
  perPage: z.number().int().min(1).max(100).default(50),
  sort: z
    .string()
    .regex(/^[A-Za-z0-9_.]+:(1|-1)$/, 'Sort is field:1 or field:-1')
    .optional(),
};
