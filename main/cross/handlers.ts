// The cross-tenant slice's handlers: one search over several tenants, and two tenants' users compared.
import type { crossChannels } from '../../preload/contract.js';
import type { SliceHandlers } from '../router.js';
import type { CrossTenant } from './cross-tenant.js';

export function crossHandlers(d: { cross: CrossTenant }): SliceHandlers<typeof crossChannels> {
  return {
    'cross:search': (input) => d.cross.search(input),
    'cross:compare': (input) => d.cross.compare(input),
  };
}
