// Writes on a user's roles. Assigning or removing the same roles again changes nothing, so both are safe to repeat;
// the roles held before are recorded so either can be undone.
import type { ChannelParsedInput, RoleSummary, WriteChannel } from '../../preload/contract.js';
import type { WriteCommand } from '../commands/write-path.js';
import { readUserRoles } from './user-reads.js';
import { readBackUserRoles } from '../commands/read-back.js';

type In<C extends WriteChannel> = ChannelParsedInput<C>;

const rolesAudit = {
  before: (roles: RoleSummary[]) => ({ roles: roles.map((r) => r.id) }),
  after: (roles: RoleSummary[]) => ({ roles: roles.map((r) => r.id) }),
};

export const assignRoles: WriteCommand<In<'users:assign-roles'>, RoleSummary[], RoleSummary[]> = {
  id: 'user.assign-roles',
  channel: 'users:assign-roles',
  action: 'user.assign-roles',
  target: (i) => i.userId,
  idempotent: true,
  before: ({ management }, input) => readUserRoles(management, input.userId),
  async apply({ management }, input) {
    await management.users.roles.assign(input.userId, { roles: input.roleIds });
    return readUserRoles(management, input.userId);
  },
  audit: rolesAudit,
  intent: (input) => ({ add: input.roleIds }),
  readBack: ({ management }, entry) => readBackUserRoles(management, entry),
};

export const removeRoles: WriteCommand<In<'users:remove-roles'>, RoleSummary[], RoleSummary[]> = {
  id: 'user.remove-roles',
  channel: 'users:remove-roles',
  action: 'user.remove-roles',
  target: (i) => i.userId,
  idempotent: true,
  before: ({ management }, input) => readUserRoles(management, input.userId),
  async apply({ management }, input) {
    await management.users.roles.delete(input.userId, { roles: input.roleIds });
    return readUserRoles(management, input.userId);
  },
  audit: rolesAudit,
  intent: (input) => ({ remove: input.roleIds }),
  readBack: ({ management }, entry) => readBackUserRoles(management, entry),
};
