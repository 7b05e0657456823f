// Which console features a grant allows: each capability needs at least one scope of every group it lists.
import type { Capability, CapabilityState } from '../../preload/contract.js';

const NEEDS: Record<Capability, string[][]> = {
  'users:read': [['read:users']],
  'users:create': [['create:users']],
  'users:update': [['update:users']],
  'users:delete': [['delete:users']],
  'users:block': [['update:users'], ['read:users']],
  'tickets:password-change': [['create:user_tickets']],
  'tickets:email-verification': [['create:user_tickets']],
  'jobs:verification-email': [['update:users']],
  'jobs:export': [['read:users']],
  'jobs:import': [['create:users']],
  'roles:read': [['read:roles']],
  'roles:assign': [
    ['read:roles'],
    ['create:role_members', 'update:users'],
    ['delete:role_members', 'update:users'],
  ],
  'mfa:read': [['read:users', 'read:authentication_methods']],
  'mfa:reset': [['delete:authentication_methods']],
  'logs:read': [['read:logs', 'read:logs_users']],
  'connections:read': [['read:connections']],
};

export function capabilitiesFor(scopes: string[]): Record<Capability, CapabilityState> {
  const granted = new Set(scopes);
  const out = {} as Record<Capability, CapabilityState>;
  for (const [cap, groups] of Object.entries(NEEDS) as [Capability, string[][]][]) {
    const missing = groups.filter((anyOf) => !anyOf.some((s) => granted.has(s))).map((anyOf) => anyOf[0]!);
    out[cap] = { allowed: missing.length === 0, missingScopes: missing };
  }
  return out;
}
