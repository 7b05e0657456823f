// Creating a role. A second create of the same name is refused by Auth0 (409), never duplicated; but a lost answer
// is not retried blindly.
import { channels, type ChannelParsedInput, type RoleSummary } from '../../../preload/contract.js';
import { asRole } from '../../roles/role-reads.js';
import { operation } from '../operation.js';

export const createRole = operation<ChannelParsedInput<'roles:create'>, undefined, RoleSummary>({
  name: 'role.create',
  input: channels['roles:create'].input,
  risk: 'roles:create',
  needs: 'roles:manage',
  action: 'role.create',
  target: (i) => i.name,
  mayRepeat: false,
  async apply({ management }, input) {
    return asRole(await management.roles.create({ name: input.name, description: input.description }));
  },
  audit: { after: (role) => role },
  async readBack({ management }, entry) {
    const name = entry.target!;
    const page = await management.roles.list({ name_filter: name, per_page: 100 });
    const roles = ((page.response as { roles?: unknown[] }).roles ?? page.data) as { name?: unknown }[];
    return roles.some((r) => r.name === name) ? { resolution: 'applied' } : { resolution: 'not-applied' };
  },
});
