// Auth0 Organizations: a tenant's organizations, their members and members' organization roles, invitations and
// enabled connections; a user's organizations. Every write is an operation (main/operations/org/), so the guard, the
// audit, the reason, bulk edits and undo come with it.
import { z } from 'zod';
import type { DownloadRef } from './app.js';
import type { Capability } from './tenants.js';
import type { RoleSummary } from './users.js';
import { byTenantId, guardSchema, idSchema, userIdSchema, type WriteRisk } from './shared.js';

export const orgIdSchema = z.string().regex(/^org_[A-Za-z0-9]{1,64}$/, 'Not an organization id');
/** Auth0's rule for an organization's name: lower case letters, digits, - and _, at most 50. */
export const orgNameSchema = z
  .string()
  .trim()
  .min(1, 'An organization needs a name')
  .max(50, 'An organization name is at most 50 characters')
  .regex(
    /^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$/,
    'An organization name is lower-case letters, digits, - and _ (not at its start or end)',
  );
const roleIdSchema = z.string().min(1).max(64);
const invitationIdSchema = z.string().regex(/^uinv_[A-Za-z0-9]{1,64}$/, 'Not an invitation id');

/** Members added to or removed from an organization (a few at a time: more go through Bulk edits). */
const membersInput = z
  .object({
    tenantId: idSchema,
    orgId: orgIdSchema,
    userIds: z.array(userIdSchema).min(1).max(50),
    guard: guardSchema,
  })
  .strict();
/** Organization roles given to or taken from one member. */
const memberRolesInput = z
  .object({
    tenantId: idSchema,
    orgId: orgIdSchema,
    userId: userIdSchema,
    roleIds: z.array(roleIdSchema).min(1).max(50),
    guard: guardSchema,
  })
  .strict();

export interface OrganizationSummary {
  id: string;
  name: string;
  displayName?: string;
  logoUrl?: string;
  colors?: { primary?: string; pageBackground?: string };
  metadata?: Record<string, string>;
}

export interface OrgConnection {
  connectionId: string;
  name?: string;
  strategy?: string;
  /** New users of this connection join the organization at their first login. */
  assignMembershipOnLogin: boolean;
  /** Shown as a button on the organization's login page. */
  showAsButton: boolean;
}

export interface OrgMember {
  userId: string;
  email?: string;
  name?: string;
  /** Their roles in this organization (not their tenant-wide roles). */
  roles: RoleSummary[];
}

export interface OrgInvitation {
  id: string;
  inviter: string;
  invitee: string;
  clientId: string;
  clientName?: string;
  connectionId?: string;
  roles: string[];
  createdAt?: string;
  expiresAt?: string;
}

export interface UserOrganization {
  id: string;
  name: string;
  displayName?: string;
  roles: RoleSummary[];
}

export interface ClientSummary {
  clientId: string;
  name: string;
  appType?: string;
}

export const organizationsChannels = {
  /** The tenant's organizations by checkpoint (past any count); a name filter applied to each page read. */
  'orgs:list': {
    input: z
      .object({
        tenantId: idSchema,
        nameFilter: z.string().trim().max(100).default(''),
        from: z.string().max(256).optional(),
        take: z.number().int().min(1).max(100).default(50),
      })
      .strict(),
    output: {} as { organizations: OrganizationSummary[]; next: string | null },
    tenant: byTenantId,
  },
  'orgs:get': {
    input: z.object({ tenantId: idSchema, orgId: orgIdSchema }).strict(),
    output: {} as {
      organization: OrganizationSummary;
      connections: OrgConnection[];
      memberCount: number | null;
    },
    tenant: byTenantId,
  },
  /** Members with their organization roles, by checkpoint. */
  'orgs:members': {
    input: z
      .object({
        tenantId: idSchema,
        orgId: orgIdSchema,
        from: z.string().max(512).optional(),
        take: z.number().int().min(1).max(100).default(50),
      })
      .strict(),
    output: {} as { members: OrgMember[]; next: string | null },
    tenant: byTenantId,
  },
  /** Every member with their organization roles, as CSV (streamed to a file; hand it to downloads:save). */
  'orgs:export-members': {
    input: z.object({ tenantId: idSchema, orgId: orgIdSchema }).strict(),
    output: {} as DownloadRef,
    tenant: byTenantId,
  },
  'orgs:invitations': {
    input: z.object({ tenantId: idSchema, orgId: orgIdSchema }).strict(),
    output: {} as OrgInvitation[],
    tenant: byTenantId,
  },
  /** The tenant's applications (for an invitation's client). */
  'clients:list': {
    input: z.object({ tenantId: idSchema }).strict(),
    output: {} as ClientSummary[],
    tenant: byTenantId,
  },
  'users:organizations': {
    input: z.object({ tenantId: idSchema, userId: userIdSchema }).strict(),
    output: {} as UserOrganization[],
    tenant: byTenantId,
  },
  'orgs:create': {
    input: z
      .object({
        tenantId: idSchema,
        name: orgNameSchema,
        displayName: z.string().trim().max(255).optional(),
        guard: guardSchema,
      })
      .strict(),
    output: {} as OrganizationSummary,
    needs: 'orgs:manage' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'orgs:update': {
    input: z
      .object({
        tenantId: idSchema,
        orgId: orgIdSchema,
        name: orgNameSchema.optional(),
        displayName: z.string().trim().max(255).optional(),
        guard: guardSchema,
      })
      .strict(),
    output: {} as OrganizationSummary,
    needs: 'orgs:manage' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'orgs:delete': {
    input: z.object({ tenantId: idSchema, orgId: orgIdSchema, guard: guardSchema }).strict(),
    output: {} as { orgId: string },
    needs: 'orgs:manage' as Capability,
    risk: (): WriteRisk => 'destructive',
    tenant: byTenantId,
  },
  'orgs:add-members': {
    input: membersInput,
    output: {} as { added: number },
    needs: 'orgs:members' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'orgs:remove-members': {
    input: membersInput,
    output: {} as { removed: number },
    needs: 'orgs:members' as Capability,
    risk: (): WriteRisk => 'destructive',
    tenant: byTenantId,
  },
  'orgs:assign-member-roles': {
    input: memberRolesInput,
    output: {} as RoleSummary[],
    needs: 'orgs:member-roles' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'orgs:remove-member-roles': {
    input: memberRolesInput,
    output: {} as RoleSummary[],
    needs: 'orgs:member-roles' as Capability,
    risk: (): WriteRisk => 'destructive',
    tenant: byTenantId,
  },
  'orgs:create-invitation': {
    input: z
      .object({
        tenantId: idSchema,
        orgId: orgIdSchema,
        inviter: z.string().trim().min(1, 'Say who invites').max(300),
        email: z.string().trim().email('Enter a valid email address'),
        clientId: z.string().min(1, 'Choose the application the invitation opens').max(64),
        connectionId: z.string().max(64).optional(),
        roleIds: z.array(roleIdSchema).max(50).default([]),
        ttlSec: z.number().int().min(60).max(2_592_000).default(604_800),
        sendEmail: z.boolean().default(true),
        guard: guardSchema,
      })
      .strict(),
    /** The link is shown once (it lets its holder join): never stored or logged. */
    output: {} as { invitation: OrgInvitation; url: string },
    needs: 'orgs:invitations' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
  'orgs:revoke-invitation': {
    input: z
      .object({
        tenantId: idSchema,
        orgId: orgIdSchema,
        invitationId: invitationIdSchema,
        guard: guardSchema,
      })
      .strict(),
    output: {} as { ok: true },
    needs: 'orgs:invitations' as Capability,
    risk: (): WriteRisk => 'write',
    tenant: byTenantId,
  },
} as const;
