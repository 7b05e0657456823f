// Renaming a role or changing its description.
import { channels, type ChannelParsedInput, type RoleSummary } from '../../../preload/contract.js';
import { asRole } from '../../roles/role-reads.js';
import { operation } from '../operation.js';
import { compareStates } from '../read-back.js';

export const updateRole = operation<ChannelParsedInput<'roles:update'>, RoleSummary, RoleSummary>({
  name: 'role.update',
  input: channels['roles:update'].input,
  risk: 'roles:update',
  needs: 'roles:manage',
  action: 'role.update',
  target: (i) => i.roleId,
  mayRepeat: true,
  before: async ({ management }, input) => asRole(await management.roles.get(input.roleId)),
  async apply({ management }, input) {
    return asRole(
      await management.roles.update(input.roleId, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
      }),
    );
  },
  audit: { before: (b) => b, after: (r) => r },
  intent: (input, role) => {
    const fields = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
    };
    return { fields, ...(role ? { before: { name: role.name, description: role.description ?? '' } } : {}) };
  },
  async readBack({ management }, entry) {
    const { fields, before } = entry.intent as {
      fields: Record<string, unknown>;
      before?: Record<string, unknown>;
    };
    const role = asRole(await management.roles.get(entry.target!));
    return compareStates({ name: role.name, description: role.description ?? '' }, fields, before);
  },
});
