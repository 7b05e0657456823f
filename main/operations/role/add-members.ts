// Giving a role to users, from the role's side (up to 1,000 at once in Auth0).
import { channels, type ChannelParsedInput } from '../../../preload/contract.js';
import { readMembersPage } from '../../roles/role-reads.js';
import { operation } from '../operation.js';

export const addRoleMembers = operation<
  ChannelParsedInput<'roles:add-members'>,
  undefined,
  { added: number }
>({
  name: 'role.add-members',
  input: channels['roles:add-members'].input,
  risk: 'roles:add-members',
  needs: 'roles:members',
  action: 'role.add-members',
  target: (i) => i.roleId,
  mayRepeat: true,
  async apply({ management }, input) {
    await management.roles.users.assign(input.roleId, { users: input.userIds });
    return { added: input.userIds.length };
  },
  audit: { after: (_r, input) => ({ users: input.userIds }) },
  intent: (input) => ({ users: input.userIds }),
  async readBack({ management }, entry) {
    const { users } = entry.intent as { users: string[] };
    const wanted = new Set(users);
    let found = 0;
    for (let from: string | undefined, more = true; more && found < wanted.size;) {
      const page = await readMembersPage(management, entry.target!, from, 100);
      for (const m of page.members) if (wanted.has(m.user_id)) found++;
      more = page.next !== null;
      from = page.next ?? undefined;
    }
    return found === wanted.size
      ? { resolution: 'applied' }
      : found === 0
        ? { resolution: 'not-applied' }
        : { resolution: 'unknown', detail: `${found} of the ${wanted.size} users hold the role` };
  },
});
