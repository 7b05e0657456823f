// The cross-tenant slice's handlers: one search over several tenants, and two tenants' users compared; organizations
// found by name on several tenants, and two tenants' organizations compared.
import type { crossChannels } from '../../preload/contract.js';
import type { SliceHandlers } from '../router.js';
import type { CrossOrganizations } from './cross-organizations.js';
import type { CrossTenant } from './cross-tenant.js';

export function crossHandlers(d: {
  cross: CrossTenant;
  organizations: CrossOrganizations;
}): SliceHandlers<typeof crossChannels> {
  return {
    'cross:search': (input) => d.cross.search(input),
    'cross:compare': (input) => d.cross.compare(input),
    'cross:find-organizations': (input) => d.organizations.find(input),
    'cross:compare-organizations': (input) => d.organizations.compare(input),
  };
}
