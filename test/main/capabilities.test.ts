// The capability map against the local tenant's own scope checks: the endpoint rules the console holds (from Auth0's
// API description) are the rules the local tenant enforces, and for many grants — the admin's, the support desk's,
// each scope alone, random mixes — a feature is marked allowed exactly when every call it makes gets past the
// tenant's scope check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilityNames, type Capability } from '../../preload/contract.js';
import {
  CAPABILITY_ENDPOINTS,
  ENDPOINT_SCOPES,
  capabilitiesFor,
  type Endpoint,
} from '../../main/auth0/capabilities.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
beforeAll(async () => {
  t = await startTestTenant({ users: 30, seed: 'capabilities' });
});
afterAll(async () => t?.close());

async function tokenFor(scopes: string[]): Promise<{ token: string; granted: string[] }> {
  const admin = t.emu.clients.find((c) => c.name === 'admin')!;
  const res = await t.fetch(`${t.emu.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: admin.clientId,
      client_secret: admin.clientSecret,
      audience: t.emu.audience,
      scope: scopes.join(' '),
    }),
  });
  const body = (await res.json()) as { access_token: string; scope: string };
  return { token: body.access_token, granted: body.scope.split(' ').filter(Boolean) };
}

/** Calls an endpoint as the console would (a harmless target) and says whether the scope check let it through. */
async function passesScopeCheck(endpoint: Endpoint, token: string): Promise<boolean> {
  const [method, path] = endpoint.split(' ') as [string, string];
  const user = [...t.emu.store.users.keys()][0]!;
  const url = path.replace(
    ':id',
    encodeURIComponent(path.startsWith('/users/:id') && method !== 'GET' ? 'auth0|nobody' : user),
  );
  const res = await t.fetch(
    `${t.emu.url}/api/v2${url}${path === '/users-by-email' ? '?email=x@example.com' : ''}`,
    {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(method === 'POST' || method === 'PATCH' || (method === 'DELETE' && path.endsWith('/roles'))
        ? { body: '{}' }
        : {}),
    },
  );
  const body = (await res.text()) || '{}';
  if (res.status === 403) {
    expect(JSON.parse(body)).toMatchObject({ errorCode: 'insufficient_scope' });
    return false;
  }
  return true;
}

describe('the capability map', () => {
  it('holds the same scope rule for each endpoint it uses as the local tenant enforces', () => {
    for (const [endpoint, rule] of Object.entries(ENDPOINT_SCOPES))
      expect(t.emu.scopeRules.get(endpoint), endpoint).toEqual(rule);
  });

  it('covers every capability the window knows', () => {
    expect(Object.keys(CAPABILITY_ENDPOINTS).sort()).toEqual([...capabilityNames].sort());
  });

  it('marks a feature allowed exactly when the tenant lets each of its calls through, for many grants', async () => {
    const admin = t.emu.clients.find((c) => c.name === 'admin')!.scopes;
    const supportDesk = t.emu.clients.find((c) => c.name === 'support-desk')!.scopes;
    const involved = [
      ...new Set(Object.values(ENDPOINT_SCOPES).flatMap((r) => ('any' in r ? r.any : r.all))),
    ].filter((s) => admin.includes(s));
    let x = 7;
    const random = () => (x = (x * 48271) % 2147483647) / 2147483647;
    const grants: [string, string[]][] = [
      ['admin', admin],
      ['support desk', supportDesk],
      ...involved.map((s): [string, string[]] => [`only ${s}`, [s]]),
      ...involved.map((s): [string, string[]] => [`all but ${s}`, involved.filter((o) => o !== s)]),
      ...Array.from({ length: 15 }, (_, i): [string, string[]] => [
        `mix ${i}`,
        involved.filter(() => random() < 0.5),
      ]),
    ];
    for (const [name, scopes] of grants) {
      const { token, granted } = await tokenFor(scopes);
      const map = capabilitiesFor(granted);
      const seen = new Map<Endpoint, boolean>();
      for (const cap of capabilityNames as readonly Capability[]) {
        let reality = true;
        for (const endpoint of CAPABILITY_ENDPOINTS[cap]) {
          if (!seen.has(endpoint)) seen.set(endpoint, await passesScopeCheck(endpoint, token));
          reality &&= seen.get(endpoint)!;
        }
        expect(map[cap].allowed, `${name}: ${cap}`).toBe(reality);
        if (!reality)
          expect(map[cap].missingScopes.length, `${name}: ${cap} names what is missing`).toBeGreaterThan(0);
      }
    }
  });

  it('says what the support desk\u2019s grant lacks where the review found the console wrong', () => {
    const supportDesk = t.emu.clients.find((c) => c.name === 'support-desk')!.scopes;
    const map = capabilitiesFor(supportDesk);
    expect(map['mfa:read']).toEqual({ allowed: false, missingScopes: ['read:authentication_methods'] });
    expect(map['users:roles']).toEqual({ allowed: false, missingScopes: ['read:role_members'] });
    expect(map['users:update'].allowed).toBe(true);
    expect(map['tickets:password-change'].allowed).toBe(true);
  });
});
