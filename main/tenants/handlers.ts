// The tenants slice's handlers: tenant profiles and their secrets, and the local tenant.
import type { tenantsChannels } from '../../preload/contract.js';
import type { LocalTenantService } from '../local-tenant/local-tenant-service.js';
import type { SliceHandlers } from '../router.js';
import type { TenantService } from './tenant-service.js';

export function tenantsHandlers(d: {
  tenants: TenantService;
  localTenant: LocalTenantService;
}): SliceHandlers<typeof tenantsChannels> {
  const { tenants, localTenant } = d;
  return {
    'tenants:list': () => tenants.list(),
    'tenants:add': (input) => tenants.add(input),
    'tenants:update': (input) => tenants.update(input.id, input.patch, input.guard),
    'tenants:set-secret': (input) =>
      tenants.setSecret(input.id, input.secret, input.secretStorage, input.guard),
    'tenants:remove-secret': (input) => tenants.removeSecret(input.id, input.guard),
    'tenants:remove': async (input) => {
      const removed = tenants.stored(input.id);
      const result = await tenants.remove(input.id, input.guard);
      if (removed.localTenant) await localTenant.stop();
      return result;
    },
    'tenants:test-connection': (input) => tenants.testConnection(input.id),
    'local-tenant:start': () => localTenant.start(),
    'local-tenant:status': () => localTenant.current(),
  };
}
