// The machine-to-machine clients of the local tenant and their grants on the Management API.
import { generateKeyPairSync } from 'node:crypto';
import type { Client } from './model.js';
import { randomAlnum } from './store.js';

export const ADMIN_SCOPES = [
  'read:users',
  'update:users',
  'delete:users',
  'create:users',
  'read:users_app_metadata',
  'update:users_app_metadata',
  'delete:users_app_metadata',
  'create:users_app_metadata',
  'create:user_tickets',
  'read:user_idp_tokens',
  'read:roles',
  'create:roles',
  'update:roles',
  'delete:roles',
  'read:role_members',
  'create:role_members',
  'delete:role_members',
  'read:logs',
  'read:logs_users',
  'read:connections',
  'update:connections',
  'read:authentication_methods',
  'update:authentication_methods',
  'delete:authentication_methods',
  'create:authentication_methods',
  'read:guardian_enrollments',
  'delete:guardian_enrollments',
  'read:stats',
  'read:clients',
  'read:sessions',
  'delete:sessions',
  'read:refresh_tokens',
  'delete:refresh_tokens',
  'read:grants',
  'delete:grants',
  'read:resource_servers',
  'create:resource_servers',
  'update:resource_servers',
  'delete:resource_servers',
  'read:organizations',
  'create:organizations',
  'update:organizations',
  'delete:organizations',
  'read:organization_members',
  'create:organization_members',
  'delete:organization_members',
  'read:organization_member_roles',
  'create:organization_member_roles',
  'delete:organization_member_roles',
  'read:organization_invitations',
  'create:organization_invitations',
  'delete:organization_invitations',
  'read:organization_connections',
  'create:organization_connections',
  'update:organization_connections',
  'delete:organization_connections',
];

/** The clients that hold the full grant: a data file written by an older version gets the scopes added since. */
export const FULL_ACCESS_CLIENTS = ['admin', 'admin-private-key-jwt'];

export function upgradeFullAccessScopes(clients: Client[]): void {
  for (const c of clients)
    if (FULL_ACCESS_CLIENTS.includes(c.name))
      c.scopes = [...c.scopes, ...ADMIN_SCOPES.filter((s) => !c.scopes.includes(s))];
}

/** The restricted grant a support desk typically gets. */
export const SUPPORT_DESK_SCOPES = [
  'read:users',
  'update:users',
  'create:user_tickets',
  'read:roles',
  'read:logs',
];

export function createClients(): Client[] {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return [
    { name: 'admin', client_id: randomAlnum(32), client_secret: randomAlnum(64), scopes: ADMIN_SCOPES },
    {
      name: 'support-desk',
      client_id: randomAlnum(32),
      client_secret: randomAlnum(64),
      scopes: SUPPORT_DESK_SCOPES,
    },
    {
      name: 'admin-private-key-jwt',
      client_id: randomAlnum(32),
      public_key: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      scopes: ADMIN_SCOPES,
    },
    { name: 'no-grant', client_id: randomAlnum(32), client_secret: randomAlnum(64), scopes: [] },
  ];
}

/**
 * The tenant's applications users sign in to (they hold no Management API grant and no secret here): what the
 * seeded sessions, refresh tokens and consents name as their client.
 */
export const APPLICATIONS = [
  { client_id: 'tdDemoSpa0000000000000000000000001', name: 'Tenant Desk Demo App', app_type: 'spa' },
  { client_id: 'tdAcmeMobile00000000000000000000002', name: 'Acme Mobile', app_type: 'native' },
] as const;
