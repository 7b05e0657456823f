// The organizations slice's handlers: reads go to the tenant (org-reads); every write is an operation run through the
// write path, one user at a time where a screen hands over a few (each audited as itself).
import type { organizationsChannels, RoleSummary } from '../../preload/contract.js';
import { csvDownload } from '../downloads/csv-download.js';
import type { DownloadStore } from '../downloads/download-store.js';
import { orgCreateInvitation, orgRevokeInvitation } from '../operations/org/invitations.js';
import { orgAddMember, orgChangeMemberRoles, orgRemoveMember } from '../operations/org/members.js';
import { orgCreate, orgDelete, orgUpdate } from '../operations/org/organization.js';
import { SkipWrite } from '../operations/operation.js';
import type { WritePath } from '../operations/write-path.js';
import type { SliceHandlers } from '../router.js';
import type { TenantService } from '../tenants/tenant-service.js';
import {
  allMembers,
  listClients,
  listInvitations,
  listMembers,
  listOrganizations,
  memberRoles,
  readOrganization,
  userOrganizations,
} from './org-reads.js';

/** Runs a write for each user; one already as asked is counted out, not failed. */
async function each(userIds: string[], write: (userId: string) => Promise<unknown>): Promise<number> {
  let n = 0;
  for (const userId of userIds) {
    try {
      await write(userId);
      n++;
    } catch (err) {
      if (!(err instanceof SkipWrite)) throw err;
    }
  }
  return n;
}

export function organizationsHandlers(d: {
  tenants: TenantService;
  writes: WritePath;
  downloads: DownloadStore;
}): SliceHandlers<typeof organizationsChannels> {
  const { tenants, writes, downloads } = d;
  const api = (tenantId: string) => tenants.connection(tenantId).management;
  const rolesOf = async (tenantId: string, orgId: string, userId: string): Promise<RoleSummary[]> =>
    memberRoles(api(tenantId), orgId, userId);
  return {
    'orgs:list': (input) => listOrganizations(api(input.tenantId), input),
    'orgs:get': (input) => {
      const connection = tenants.connection(input.tenantId);
      return readOrganization(connection.management, input.orgId, (path) => connection.readJson(path));
    },
    'orgs:members': (input) => listMembers(api(input.tenantId), input.orgId, input),
    'orgs:export-members': async (input) => {
      const management = api(input.tenantId);
      const org = await management.organizations.get(input.orgId);
      const safe = String(org.name ?? 'organization')
        .replace(/[^\w.-]+/g, '-')
        .slice(0, 60);
      async function* rows() {
        for await (const m of allMembers(management, input.orgId))
          yield [m.userId, m.email ?? '', m.name ?? '', m.roles.map((r) => r.name).join('; ')];
      }
      return csvDownload(
        downloads,
        `organization-${safe}-members.csv`,
        ['user_id', 'email', 'name', 'roles'],
        rows(),
      );
    },
    'orgs:invitations': (input) => listInvitations(api(input.tenantId), input.orgId),
    'clients:list': (input) => listClients(api(input.tenantId)),
    'users:organizations': (input) => userOrganizations(api(input.tenantId), input.userId),
    'orgs:create': (input) => writes.run(orgCreate, input),
    'orgs:update': (input) => writes.run(orgUpdate, input),
    'orgs:delete': (input) => writes.run(orgDelete, input),
    'orgs:add-members': async ({ userIds, ...input }) => ({
      added: await each(userIds, (userId) => writes.run(orgAddMember, { ...input, userId })),
    }),
    'orgs:remove-members': async ({ userIds, ...input }) => ({
      removed: await each(userIds, (userId) => writes.run(orgRemoveMember, { ...input, userId })),
    }),
    'orgs:assign-member-roles': async ({ roleIds, ...input }) => {
      await writes.run(orgChangeMemberRoles, { ...input, add: roleIds, remove: [] });
      return rolesOf(input.tenantId, input.orgId, input.userId);
    },
    'orgs:remove-member-roles': async ({ roleIds, ...input }) => {
      await writes.run(orgChangeMemberRoles, { ...input, add: [], remove: roleIds });
      return rolesOf(input.tenantId, input.orgId, input.userId);
    },
    'orgs:create-invitation': (input) => writes.run(orgCreateInvitation, input),
    'orgs:revoke-invitation': (input) => writes.run(orgRevokeInvitation, input),
  };
}
