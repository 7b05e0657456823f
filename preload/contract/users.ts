// Users as Auth0 returns them, their searches, details and every write on one user.
import { z } from 'zod';
import type { Capability } from './tenants.js';
import {
  hasProtoKey,
  metadataChangesSchema,
  metadataKeyProblem,
  profileChangesSchema,
  usernameSchema,
} from './rules.js';
import {
  guardSchema,
  idSchema,
  searchPageFields,
  userIdSchema,
  type WriteRisk,
  byTenantId,
} from './shared.js';

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
  /** The connection's username length (`validation.username`), where it sets one; else 1–128. */
  usernameLength?: { min: number; max: number } | null;
  /**
   * The connection overwrites name, nickname, given/family name and picture from the identity provider at each
   * login (Auth0's "Sync user profile attributes at each login"), so Auth0 refuses to change them.
   */
  syncsProfileAttributes: boolean;
}

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

export const usersChannels = {
  // ---- users (issue #4) ----
  'users:search': {
    input: z
      .object({
        tenantId: idSchema,
        ...searchPageFields,
      })
      .strict(),
    output: {} as UserSearchResult,
    tenant: byTenantId,
  },
  'users:get': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as Auth0User,
    tenant: byTenantId,
  },
  'users:create': {
    input: z
      .object({
        tenantId: idSchema,
        connection: z.string().min(1).max(128),
        email: z.string().trim().email('Enter a valid email address'),
        /** For a connection that requires usernames. */
        username: usernameSchema.optional(),
        password: z.string().min(1).max(512),
        name: z.string().trim().max(300).optional(),
        emailVerified: z.boolean().default(false),
        verifyEmail: z.boolean().default(true),
        guard: guardSchema,
      })
      .strict(),
    output: {} as Auth0User,
    needs: 'users:create' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
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
    needs: 'users:update' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
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
    needs: 'users:update' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
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
    needs: 'users:block' as Capability,
    risk: (input: { blocked: boolean }): WriteRisk => (input.blocked ? 'destructive' : 'write'),
    tenant: byTenantId,
  },
  'users:unblock-brute-force': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as { ok: true },
    needs: 'users:block' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'users:blocks': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as { identifier: string; ip?: string; connection?: string }[],
    tenant: byTenantId,
  },
  'users:delete': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as { userId: string },
    needs: 'users:delete' as Capability,
    risk: (): WriteRisk => 'destructive',
    tenant: byTenantId,
  },
  'users:set-email-verified': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as Auth0User,
    needs: 'users:update' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'users:send-verification-email': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as { jobId: string },
    needs: 'jobs:verification-email' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
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
    needs: 'tickets:password-change' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'users:reset-email': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as { sentTo: string },
    needs: 'users:reset-email' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
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
    needs: 'users:update' as Capability,
    risk: (): WriteRisk => 'destructive',
    tenant: byTenantId,
  },
  'users:mfa': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as MfaState,
    tenant: byTenantId,
  },
  'users:mfa-reset': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as MfaState,
    needs: 'mfa:reset' as Capability,
    risk: (): WriteRisk => 'destructive',
    tenant: byTenantId,
  },
  'users:invalidate-remember-browser': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema, guard: guardSchema }).strict(),
    output: {} as { ok: true },
    needs: 'users:forget-browsers' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'users:roles': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as RoleSummary[],
    tenant: byTenantId,
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
    needs: 'roles:assign' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
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
    needs: 'roles:assign' as Capability,
    risk: (): WriteRisk => 'destructive',
    tenant: byTenantId,
  },
  'users:logs': {
    input: z
      .object({ tenantId: idSchema, userId: userIdSchema, page: z.number().int().min(0).max(19).default(0) })
      .strict(),
    output: {} as { logs: LogEventSummary[]; total: number },
    tenant: byTenantId,
  },
  'roles:search': {
    input: z.object({ tenantId: idSchema, nameFilter: z.string().max(100).default('') }).strict(),
    output: {} as { roles: RoleSummary[]; total: number },
    tenant: byTenantId,
  },
  'connections:list': {
    input: z.object({ tenantId: idSchema }).strict(),
    output: {} as ConnectionSummary[],
    tenant: byTenantId,
  },
} as const;
