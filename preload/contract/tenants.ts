// Tenant profiles, what their grants allow, and the local tenant.
import { z } from 'zod';
import {
  TENANT_IDENTITY_FIELDS,
  authMethodSchema,
  colorSchema,
  domainSchema,
  environmentSchema,
  guardSchema,
  idSchema,
  pemSchema,
  secretStorageSchema,
  type AuthMethod,
  type Environment,
  type SecretStorage,
  type WriteRisk,
  byId,
} from './shared.js';

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
  localTenant: boolean;
  /** Every write to this tenant needs a reason (a ticket or a note); suggested for production. */
  requireReason: boolean;
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
  'sessions:read',
  'sessions:revoke',
  'refresh-tokens:read',
  'refresh-tokens:revoke',
  'grants:read',
  'grants:revoke',
  'clients:read',
  'orgs:read',
  'orgs:manage',
  'orgs:members',
  'orgs:member-roles',
  'orgs:invitations',
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

/** The local tenant's process: started with the app when its profile exists, restartable from the tenants screen. */
export interface LocalTenantStatus {
  state: 'stopped' | 'starting' | 'running' | 'failed';
  domain?: string;
  /** Why it failed, in words. */
  message?: string;
}

export const tenantFields = z.object({
  label: z.string().trim().min(1, 'Label is required').max(80),
  domain: domainSchema,
  clientId: z.string().trim().min(1, 'Client ID is required').max(128),
  authMethod: authMethodSchema,
  environment: environmentSchema,
  color: colorSchema,
  audience: z.string().url().max(512).nullable().optional(),
  caCert: pemSchema.nullable().optional(),
  /** Every write to the tenant needs a reason (a ticket or a note). */
  requireReason: z.boolean().optional(),
});
export const tenantInput = tenantFields.extend({ authMethod: authMethodSchema.default('client_secret') });
/** Only the fields given: no defaults, or an edit of the label would reset the auth method. */
export const tenantPatch = tenantFields.partial().strict();

export const tenantsChannels = {
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
    risk: (input: { patch: Record<string, unknown> }) =>
      TENANT_IDENTITY_FIELDS.some((f) => input.patch[f] !== undefined) ? 'destructive' : 'none',
    tenant: byId,
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
    risk: (): WriteRisk => 'write',
    tenant: byId,
  },
  'tenants:remove-secret': {
    input: z.object({ id: idSchema, guard: guardSchema }).strict(),
    output: {} as TenantProfile,
    risk: (): WriteRisk => 'write',
    tenant: byId,
  },
  'tenants:remove': {
    input: z.object({ id: idSchema, guard: guardSchema }).strict(),
    output: {} as { id: string },
    risk: (): WriteRisk => 'write',
    tenant: byId,
  },
  'tenants:test-connection': {
    input: z.object({ id: idSchema }).strict(),
    output: {} as ConnectionTestResult,
    tenant: byId,
  },
  /** Start the local tenant (its own process) and point its profile at it, adding the profile on first run. */
  'local-tenant:start': { input: z.object({}).strict(), output: {} as TenantProfile },
  'local-tenant:status': { input: z.object({}).strict(), output: {} as LocalTenantStatus },
} as const;
