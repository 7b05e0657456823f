// Shapes the renderer tests share: a tenant profile as main sends it, with what a test needs changed.
import type { TenantProfile } from '../../preload/contract';

export function tenantProfile(over: Partial<TenantProfile> = {}): TenantProfile {
  const id = over.id ?? 'ten_1';
  return {
    id,
    label: 'Acme dev',
    domain: `${id}.example.com`,
    clientId: 'c',
    authMethod: 'client_secret',
    environment: 'development',
    color: '#2e7d32',
    audience: null,
    hasCaCert: false,
    secretStorage: 'keychain',
    localTenant: false,
    requireReason: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}
