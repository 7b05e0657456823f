// Deleting a role. What is lost is kept in the audit log: the role, its permissions and how many held it.
import {
  channels,
  type ChannelParsedInput,
  type RolePermission,
  type RoleSummary,
} from '../../../preload/contract.js';
import { asRole, readMemberCount, readRolePermissions } from '../../roles/role-reads.js';
import { operation } from '../operation.js';

interface RoleBefore {
  role: RoleSummary;
  permissions: RolePermission[];
  memberCount: number | null;
}

export const deleteRole = operation<ChannelParsedInput<'roles:delete'>, RoleBefore, { deleted: true }>({
  name: 'role.delete',
  input: channels['roles:delete'].input,
  risk: 'roles:delete',
  needs: 'roles:manage',
  action: 'role.delete',
  target: (i) => i.roleId,
  mayRepeat: false,
  before: async ({ management, profile }, input) => ({
    role: asRole(await management.roles.get(input.roleId)),
    permissions: await readRolePermissions(management, input.roleId),
    memberCount: await readMemberCount(management, profile.domain, input.roleId).catch(() => null),
  }),
  async apply({ management }, input) {
    await management.roles.delete(input.roleId);
    return { deleted: true };
  },
  audit: { before: (b) => b },
  async readBack({ management }, entry) {
    try {
      await management.roles.get(entry.target!);
      return { resolution: 'not-applied' };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return { resolution: 'applied' };
      throw err;
    }
  },
});
