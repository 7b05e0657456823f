// Roles administration: roles, their members and permissions, and the tenant's APIs.
import { z } from 'zod';
import type { Capability } from './tenants.js';
import {
  guardSchema,
  idSchema,
  userIdSchema,
  type ErrorEnvelope,
  type WriteRisk,
  byTenantId,
} from './shared.js';
import type { DownloadRef } from './app.js';
import type { RoleSummary } from './users.js';
import { roleIdSchema } from './bulk.js';

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

export const roleNameSchema = z
  .string()
  .trim()
  .min(1, 'A role needs a name.')
  .max(50, 'A role name is at most 50 characters.');
export const roleDescriptionSchema = z.string().trim().max(255, 'A description is at most 255 characters.');
export const permissionRefSchema = z
  .object({ resourceServer: z.string().min(1).max(600), name: z.string().min(1).max(280) })
  .strict();
export type PermissionRef = z.infer<typeof permissionRefSchema>;
/** Permissions given to or taken from a role. */
export const rolePermissionsChangeSchema = z
  .object({
    tenantId: idSchema,
    roleId: roleIdSchema,
    permissions: z.array(permissionRefSchema).min(1).max(100),
    guard: guardSchema,
  })
  .strict();

export const rolesChannels = {
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
    tenant: byTenantId,
  },
  'roles:get': {
    input: z.object({ tenantId: idSchema, roleId: roleIdSchema }).strict(),
    output: {} as RoleDetail,
    tenant: byTenantId,
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
    needs: 'roles:manage' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
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
    needs: 'roles:manage' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'roles:delete': {
    input: z.object({ tenantId: idSchema, roleId: roleIdSchema, guard: guardSchema }).strict(),
    output: {} as { deleted: true },
    needs: 'roles:manage' as Capability,
    risk: (): WriteRisk => 'destructive',
    tenant: byTenantId,
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
    tenant: byTenantId,
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
    needs: 'roles:members' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
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
    needs: 'roles:members' as Capability,
    risk: (): WriteRisk => 'destructive',
    tenant: byTenantId,
  },
  'roles:add-permissions': {
    input: rolePermissionsChangeSchema,
    output: {} as RolePermission[],
    needs: 'roles:manage' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'roles:remove-permissions': {
    input: rolePermissionsChangeSchema,
    output: {} as RolePermission[],
    needs: 'roles:manage' as Capability,
    risk: (): WriteRisk => 'destructive',
    tenant: byTenantId,
  },
  /** Every member (read by checkpoint) as CSV. */
  'roles:export-members': {
    input: z.object({ tenantId: idSchema, roleId: roleIdSchema }).strict(),
    output: {} as DownloadRef,
    tenant: byTenantId,
  },
  'resource-servers:list': {
    input: z.object({ tenantId: idSchema }).strict(),
    output: {} as ResourceServerSummary[],
    tenant: byTenantId,
  },
} as const;
