// The roles slice's handlers: roles administration. Reads go to RoleAdmin; writes are operations run through the
// write path (removing members is a bulk-sized write RoleAdmin runs through it too).
import type { rolesChannels } from '../../preload/contract.js';
import { addRoleMembers } from '../operations/role/add-members.js';
import { createRole } from '../operations/role/create.js';
import { deleteRole } from '../operations/role/delete.js';
import { addRolePermissions, removeRolePermissions } from '../operations/role/permissions.js';
import { updateRole } from '../operations/role/update.js';
import type { WritePath } from '../operations/write-path.js';
import type { SliceHandlers } from '../router.js';
import type { RoleAdmin } from './role-admin.js';

export function rolesHandlers(d: {
  roleAdmin: RoleAdmin;
  writes: WritePath;
}): SliceHandlers<typeof rolesChannels> {
  const { roleAdmin, writes } = d;
  return {
    'roles:list': (input) => roleAdmin.list(input),
    'roles:get': (input) => roleAdmin.get(input.tenantId, input.roleId),
    'roles:create': (input) => writes.run(createRole, input),
    'roles:update': (input) => writes.run(updateRole, input),
    'roles:delete': (input) => writes.run(deleteRole, input),
    'roles:members': (input) => roleAdmin.members(input),
    'roles:add-members': (input) => writes.run(addRoleMembers, input),
    'roles:remove-members': (input) => roleAdmin.removeMembers(input),
    'roles:add-permissions': (input) => writes.run(addRolePermissions, input),
    'roles:remove-permissions': (input) => writes.run(removeRolePermissions, input),
    'roles:export-members': (input) => roleAdmin.exportMembers(input.tenantId, input.roleId),
    'resource-servers:list': (input) => roleAdmin.resourceServers(input.tenantId),
  };
}
