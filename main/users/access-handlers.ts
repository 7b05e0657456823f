// A user's access: reads go straight to the tenant (each part on its own); each revoke is an operation run through
// the write path; "sign out everywhere" is the incident response, which runs its steps through the same path.
import type { accessChannels } from '../../preload/contract/access.js';
import {
  deleteAuthenticationMethod,
  revokeGrant,
  revokeGrants,
  revokeRefreshToken,
  revokeRefreshTokens,
  revokeSession,
  revokeSessions,
} from '../operations/user/access.js';
import type { WritePath } from '../operations/write-path.js';
import type { SliceHandlers } from '../router.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { readAccess } from './access-reads.js';
import type { IncidentResponse } from './incident.js';

const ok = { ok: true } as const;

export function accessHandlers(d: {
  tenants: TenantService;
  writes: WritePath;
  incidents: IncidentResponse;
}): SliceHandlers<typeof accessChannels> {
  const { tenants, writes, incidents } = d;
  return {
    'users:access': (input) => readAccess(tenants.connection(input.tenantId).management, input.userId),
    'users:revoke-session': async (input) => (await writes.run(revokeSession, input), ok),
    'users:revoke-sessions': async (input) => (await writes.run(revokeSessions, input), ok),
    'users:revoke-refresh-token': async (input) => (await writes.run(revokeRefreshToken, input), ok),
    'users:revoke-refresh-tokens': async (input) => (await writes.run(revokeRefreshTokens, input), ok),
    'users:revoke-grant': async (input) => (await writes.run(revokeGrant, input), ok),
    'users:revoke-grants': async (input) => (await writes.run(revokeGrants, input), ok),
    'users:delete-authentication-method': async (input) => (
      await writes.run(deleteAuthenticationMethod, input),
      ok
    ),
    'users:sign-out-everywhere': (input) => incidents.signOutEverywhere(input),
  };
}
