// What a grant allows the console to do. Each feature lists the Management API endpoints it calls (its reads
// before a write included), and each endpoint needs the scopes Auth0's own API description gives it (the
// oAuth2ClientCredentials scopes of auth0/docs-v2 management-api-oas.json, and the 403 texts there: any one of a
// list, except a user's roles, which need all three). A test checks the local tenant enforces the same rules.
import type { Capability, CapabilityState } from '../../preload/contract.js';

export type ScopeRule = { any: string[] } | { all: string[] };

/** The endpoints the console calls and what each needs, from Auth0's Management API description. */
export const ENDPOINT_SCOPES = {
  'GET /users': { any: ['read:users'] },
  'GET /users/:id': { any: ['read:users', 'read:user_idp_tokens', 'read:current_user'] },
  'POST /users': { any: ['create:users'] },
  'PATCH /users/:id': { any: ['update:users', 'update:users_app_metadata', 'update:current_user_metadata'] },
  'DELETE /users/:id': { any: ['delete:users', 'delete:current_user'] },
  'GET /users-by-email': { any: ['read:users'] },
  'GET /users/:id/enrollments': { any: ['read:users'] },
  'GET /users/:id/authentication-methods': { any: ['read:authentication_methods'] },
  'DELETE /users/:id/authentication-methods': { any: ['delete:authentication_methods'] },
  'POST /users/:id/multifactor/actions/invalidate-remember-browser': { any: ['update:users'] },
  'GET /users/:id/roles': { all: ['read:users', 'read:roles', 'read:role_members'] },
  'POST /users/:id/roles': { any: ['create:role_members', 'update:users'] },
  'DELETE /users/:id/roles': { any: ['delete:role_members', 'update:users'] },
  'GET /users/:id/logs': { any: ['read:logs', 'read:logs_users'] },
  'GET /logs': { any: ['read:logs', 'read:logs_users'] },
  'GET /roles': { any: ['read:roles'] },
  'POST /roles': { any: ['create:roles'] },
  'GET /roles/:id': { any: ['read:roles'] },
  'PATCH /roles/:id': { any: ['update:roles'] },
  'DELETE /roles/:id': { any: ['delete:roles'] },
  'GET /roles/:id/users': { any: ['read:users', 'read:roles', 'read:role_members'] },
  'POST /roles/:id/users': { any: ['update:roles', 'create:role_members'] },
  'GET /roles/:id/permissions': { any: ['read:roles'] },
  'POST /roles/:id/permissions': { any: ['update:roles'] },
  'DELETE /roles/:id/permissions': { any: ['update:roles'] },
  'GET /resource-servers': { any: ['read:resource_servers'] },
  'GET /user-blocks/:id': { any: ['read:users'] },
  'DELETE /user-blocks/:id': { any: ['update:users'] },
  'POST /tickets/password-change': { any: ['create:user_tickets'] },
  'POST /tickets/email-verification': { any: ['create:user_tickets'] },
  'POST /jobs/verification-email': { any: ['update:users'] },
  'POST /jobs/users-exports': { any: ['read:users'] },
  'POST /jobs/users-imports': { any: ['create:users'] },
  'GET /connections': { any: ['read:connections'] },
  'DELETE /users/:id/authentication-methods/:method': { any: ['delete:authentication_methods'] },
  'GET /users/:id/sessions': { any: ['read:sessions'] },
  'DELETE /users/:id/sessions': { any: ['delete:sessions'] },
  'DELETE /sessions/:id': { any: ['delete:sessions'] },
  'GET /users/:id/refresh-tokens': { any: ['read:refresh_tokens'] },
  'DELETE /users/:id/refresh-tokens': { any: ['delete:refresh_tokens'] },
  'DELETE /refresh-tokens/:id': { any: ['delete:refresh_tokens'] },
  'GET /grants': { any: ['read:grants'] },
  'DELETE /grants/:id': { any: ['delete:grants'] },
  'DELETE /grants': { any: ['delete:grants'] },
  'GET /clients': { any: ['read:clients'] },
  'GET /organizations': { any: ['read:organizations'] },
  'GET /organizations/:id': { any: ['read:organizations'] },
  'GET /organizations/:id/enabled_connections': { any: ['read:organization_connections'] },
  'POST /organizations': { any: ['create:organizations'] },
  'PATCH /organizations/:id': { any: ['update:organizations'] },
  'DELETE /organizations/:id': { any: ['delete:organizations'] },
  'GET /organizations/:id/members': { any: ['read:organization_members'] },
  'POST /organizations/:id/members': { any: ['create:organization_members'] },
  'DELETE /organizations/:id/members': { any: ['delete:organization_members'] },
  'GET /organizations/:id/members/:user_id/roles': { any: ['read:organization_member_roles'] },
  'POST /organizations/:id/members/:user_id/roles': { any: ['create:organization_member_roles'] },
  'DELETE /organizations/:id/members/:user_id/roles': { any: ['delete:organization_member_roles'] },
  'GET /organizations/:id/invitations': { any: ['read:organization_invitations'] },
  'POST /organizations/:id/invitations': { any: ['create:organization_invitations'] },
  'DELETE /organizations/:id/invitations/:invitation_id': { any: ['delete:organization_invitations'] },
  'GET /users/:id/organizations': { any: ['read:organizations'] },
} satisfies Record<string, ScopeRule>;

export type Endpoint = keyof typeof ENDPOINT_SCOPES;

/** The endpoints each feature calls. */
export const CAPABILITY_ENDPOINTS: Record<Capability, Endpoint[]> = {
  'users:read': ['GET /users', 'GET /users/:id'],
  'users:create': ['POST /users'],
  'users:update': ['GET /users/:id', 'PATCH /users/:id'],
  'users:delete': ['GET /users/:id', 'DELETE /users/:id'],
  'users:block': ['GET /users/:id', 'PATCH /users/:id', 'GET /user-blocks/:id', 'DELETE /user-blocks/:id'],
  'users:roles': ['GET /users/:id/roles'],
  // The reset email itself goes through the Authentication API, which needs no Management API scope.
  'users:reset-email': ['GET /users/:id'],
  'users:forget-browsers': ['POST /users/:id/multifactor/actions/invalidate-remember-browser'],
  'tickets:password-change': ['POST /tickets/password-change'],
  'tickets:email-verification': ['POST /tickets/email-verification'],
  'jobs:verification-email': ['POST /jobs/verification-email'],
  'jobs:export': ['POST /jobs/users-exports'],
  'jobs:import': ['POST /jobs/users-imports'],
  'roles:read': ['GET /roles'],
  'roles:manage': [
    'GET /roles',
    'GET /roles/:id',
    'POST /roles',
    'PATCH /roles/:id',
    'DELETE /roles/:id',
    'GET /roles/:id/permissions',
    'POST /roles/:id/permissions',
    'DELETE /roles/:id/permissions',
    'GET /resource-servers',
  ],
  'roles:members': ['GET /roles/:id/users', 'POST /roles/:id/users', 'DELETE /users/:id/roles'],
  'roles:assign': ['GET /roles', 'GET /users/:id/roles', 'POST /users/:id/roles', 'DELETE /users/:id/roles'],
  'mfa:read': ['GET /users/:id/enrollments', 'GET /users/:id/authentication-methods'],
  'mfa:reset': [
    'GET /users/:id/enrollments',
    'GET /users/:id/authentication-methods',
    'DELETE /users/:id/authentication-methods',
    'DELETE /users/:id/authentication-methods/:method',
  ],
  'logs:read': ['GET /users/:id/logs', 'GET /logs'],
  'connections:read': ['GET /connections'],
  'sessions:read': ['GET /users/:id/sessions'],
  'sessions:revoke': ['GET /users/:id/sessions', 'DELETE /users/:id/sessions', 'DELETE /sessions/:id'],
  'refresh-tokens:read': ['GET /users/:id/refresh-tokens'],
  'refresh-tokens:revoke': [
    'GET /users/:id/refresh-tokens',
    'DELETE /users/:id/refresh-tokens',
    'DELETE /refresh-tokens/:id',
  ],
  'grants:read': ['GET /grants'],
  'grants:revoke': ['GET /grants', 'DELETE /grants/:id', 'DELETE /grants'],
  'clients:read': ['GET /clients'],
  'orgs:read': ['GET /organizations', 'GET /organizations/:id', 'GET /users/:id/organizations'],
  'orgs:manage': [
    'GET /organizations/:id',
    'POST /organizations',
    'PATCH /organizations/:id',
    'DELETE /organizations/:id',
  ],
  'orgs:members': [
    'GET /users/:id/organizations',
    'GET /organizations/:id/members',
    'POST /organizations/:id/members',
    'DELETE /organizations/:id/members',
  ],
  'orgs:member-roles': [
    'GET /organizations/:id/members/:user_id/roles',
    'POST /organizations/:id/members/:user_id/roles',
    'DELETE /organizations/:id/members/:user_id/roles',
  ],
  'orgs:invitations': [
    'GET /organizations/:id/invitations',
    'POST /organizations/:id/invitations',
    'DELETE /organizations/:id/invitations/:invitation_id',
  ],
};

/** The scopes a rule misses in a grant: the first of an any-of list, or each absent one of an all-of list. */
export function missingScopes(rule: ScopeRule, granted: ReadonlySet<string>): string[] {
  if ('any' in rule) return rule.any.some((s) => granted.has(s)) ? [] : [rule.any[0]!];
  return rule.all.filter((s) => !granted.has(s));
}

export function capabilitiesFor(scopes: string[]): Record<Capability, CapabilityState> {
  const granted = new Set(scopes);
  const out = {} as Record<Capability, CapabilityState>;
  for (const [cap, endpoints] of Object.entries(CAPABILITY_ENDPOINTS) as [Capability, Endpoint[]][]) {
    const missing = [
      ...new Set(endpoints.flatMap((e) => missingScopes(ENDPOINT_SCOPES[e] as ScopeRule, granted))),
    ];
    out[cap] = { allowed: missing.length === 0, missingScopes: missing };
  }
  return out;
}
