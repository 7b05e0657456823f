// A user's access: their sessions, refresh tokens, consents (grants) and authentication methods, each revocable, and
// "sign out everywhere" — the incident response of a support desk. No token value ever crosses the bridge (Auth0
// never returns one here either): only ids, devices, clients and dates.
import { z } from 'zod';
import type { Capability } from './tenants.js';
import { byTenantId, guardSchema, idSchema, userIdSchema, type WriteRisk } from './shared.js';

/** An id Auth0 gives a session, a refresh token, a grant or an authentication method. */
const accessIdSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\w|.:-]+$/, 'Not an id Auth0 gives');

export interface SessionView {
  id: string;
  createdAt?: string;
  authenticatedAt?: string;
  lastInteractedAt?: string;
  idleExpiresAt?: string;
  expiresAt?: string;
  /** The device as last seen (and first, where it differs). */
  userAgent?: string;
  ip?: string;
  initialIp?: string;
  asn?: string;
  /** Where Auth0 gives one (it does not always). */
  location?: string;
  clients: { clientId: string; name?: string }[];
  methods: string[];
}

export interface RefreshTokenView {
  id: string;
  clientId?: string;
  clientName?: string;
  sessionId?: string;
  createdAt?: string;
  lastUsedAt?: string;
  idleExpiresAt?: string;
  expiresAt?: string;
  rotating?: boolean;
  ip?: string;
  userAgent?: string;
  audiences: string[];
}

export interface GrantView {
  id: string;
  clientId: string;
  clientName?: string;
  audience?: string;
  scope: string[];
}

/** One part of a user's access as read: the list, or why it could not be read (a missing scope, a plan without it). */
export type AccessPart<T> = { ok: true; items: T[] } | { ok: false; reason: string };

export interface UserAccess {
  sessions: AccessPart<SessionView>;
  refreshTokens: AccessPart<RefreshTokenView>;
  grants: AccessPart<GrantView>;
  /** When it was read (ISO). */
  readAt: string;
}

export const signOutOptionsSchema = z
  .object({
    /** Block the user in the same step (they can't sign in again until unblocked). */
    block: z.boolean().default(false),
    /** Remove every MFA factor (they enrol again). */
    mfaReset: z.boolean().default(false),
    /** Also revoke the user's consents to applications. */
    grants: z.boolean().default(false),
    /** Send Auth0's reset email, or make a password-change link for the agent to pass on. */
    password: z.enum(['none', 'email', 'link']).default('none'),
  })
  .strict();
export type SignOutOptions = z.infer<typeof signOutOptionsSchema>;

/** What "sign out everywhere" did, step by step, in the order done. */
export interface SignOutStep {
  step:
    | 'revoke-sessions'
    | 'revoke-refresh-tokens'
    | 'revoke-grants'
    | 'block'
    | 'mfa-reset'
    | 'reset-email'
    | 'password-link';
  ok: boolean;
  /** In words: what was done, or why not. */
  detail: string;
}

export interface SignOutReport {
  userId: string;
  incidentId: string;
  steps: SignOutStep[];
  /** A password-change link made in this step (shown once, never stored). */
  ticket?: { ticket: string; expiresAt: string };
}

const all = () => z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict();

export const accessChannels = {
  /** A user's sessions, refresh tokens and consents, each part read on its own (one missing scope hides only it). */
  'users:access': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as UserAccess,
    tenant: byTenantId,
  },
  'users:revoke-session': {
    input: z
      .object({ tenantId: idSchema, userId: userIdSchema, sessionId: accessIdSchema, guard: guardSchema })
      .strict(),
    output: {} as { ok: true },
    needs: 'sessions:revoke' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'users:revoke-sessions': {
    input: all(),
    output: {} as { ok: true },
    needs: 'sessions:revoke' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'users:revoke-refresh-token': {
    input: z
      .object({ tenantId: idSchema, userId: userIdSchema, tokenId: accessIdSchema, guard: guardSchema })
      .strict(),
    output: {} as { ok: true },
    needs: 'refresh-tokens:revoke' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'users:revoke-refresh-tokens': {
    input: all(),
    output: {} as { ok: true },
    needs: 'refresh-tokens:revoke' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'users:revoke-grant': {
    input: z
      .object({ tenantId: idSchema, userId: userIdSchema, grantId: accessIdSchema, guard: guardSchema })
      .strict(),
    output: {} as { ok: true },
    needs: 'grants:revoke' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'users:revoke-grants': {
    input: all(),
    output: {} as { ok: true },
    needs: 'grants:revoke' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'users:delete-authentication-method': {
    input: z
      .object({ tenantId: idSchema, userId: userIdSchema, methodId: accessIdSchema, guard: guardSchema })
      .strict(),
    output: {} as { ok: true },
    needs: 'mfa:reset' as Capability,
    risk: (): WriteRisk => 'destructive',
    tenant: byTenantId,
  },
  /**
   * Incident response for one user: every session and refresh token revoked, and — as asked, in the same step —
   * consents revoked, the user blocked, MFA reset, a reset email sent or a link made. Each write goes through the one
   * write path (and is audited as itself); the whole is audited once more as one incident entry.
   */
  'users:sign-out-everywhere': {
    input: z
      .object({
        tenantId: idSchema,
        userId: userIdSchema,
        options: signOutOptionsSchema,
        guard: guardSchema,
      })
      .strict(),
    output: {} as SignOutReport,
    needs: 'sessions:revoke' as Capability,
    risk: (): WriteRisk => 'destructive',
    tenant: byTenantId,
  },
} as const;
