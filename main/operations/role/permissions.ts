// Giving a role an API's permissions and taking them away: two operations, one shape.
import { channels, type ChannelParsedInput, type RolePermission } from '../../../preload/contract.js';
import { readRolePermissions } from '../../roles/role-reads.js';
import { operation } from '../operation.js';

type Input = ChannelParsedInput<'roles:add-permissions'> | ChannelParsedInput<'roles:remove-permissions'>;

const words = (ps: RolePermission[]) => ps.map((p) => `${p.resourceServer} ${p.name}`);

const permissionChange = (add: boolean) =>
  operation<Input, RolePermission[], RolePermission[]>({
    name: add ? 'role.add-permissions' : 'role.remove-permissions',
    input: channels[add ? 'roles:add-permissions' : 'roles:remove-permissions'].input,
    risk: add ? 'roles:add-permissions' : 'roles:remove-permissions',
    needs: 'roles:manage',
    action: add ? 'role.add-permissions' : 'role.remove-permissions',
    target: (i) => i.roleId,
    mayRepeat: true,
    before: ({ management }, input) => readRolePermissions(management, input.roleId),
    async apply({ management }, input) {
      const permissions = input.permissions.map((p) => ({
        resource_server_identifier: p.resourceServer,
        permission_name: p.name,
      }));
      if (add) await management.roles.permissions.add(input.roleId, { permissions });
      else await management.roles.permissions.delete(input.roleId, { permissions });
      return readRolePermissions(management, input.roleId);
    },
    audit: { before: words, after: words },
    intent: (input) => ({ permissions: input.permissions.map((p) => `${p.resourceServer} ${p.name}`) }),
    async readBack({ management }, entry) {
      const { permissions } = entry.intent as { permissions: string[] };
      const held = new Set(words(await readRolePermissions(management, entry.target!)));
      const shown = permissions.filter((p) => held.has(p) === add).length;
      return shown === permissions.length
        ? { resolution: 'applied' }
        : shown === 0
          ? { resolution: 'not-applied' }
          : { resolution: 'unknown', detail: 'some of the permissions are as asked, others not' };
    },
  });

export const addRolePermissions = permissionChange(true);
export const removeRolePermissions = permissionChange(false);
