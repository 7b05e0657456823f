// HTTP-level behaviour of the local tenant: token endpoint, bearer checks, scopes, error bodies, rate limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
beforeAll(async () => {
  t = await startTestTenant({ users: 20 });
});
afterAll(async () => t?.close());

const json = { 'content-type': 'application/json' };

async function tokenRequest(
  body: Record<string, string>,
  form = true,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await t.fetch(`${t.emu.url}/oauth/token`, {
    method: 'POST',
    headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : json,
    body: form ? new URLSearchParams(body) : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('token endpoint', () => {
  it('issues an RS256 token with Auth0\u2019s claims, form-encoded or JSON', async () => {
    const admin = t.emu.clients.find((c) => c.name === 'admin')!;
    for (const form of [true, false]) {
      const res = await tokenRequest(
        {
          grant_type: 'client_credentials',
          client_id: admin.clientId,
          client_secret: admin.clientSecret!,
          audience: t.emu.audience,
        },
        form,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ expires_in: 86400, token_type: 'Bearer' });
      const claims = decodeJwt(res.body.access_token as string);
      expect(claims).toMatchObject({
        iss: `https://${t.emu.domain}/`,
        sub: `${admin.clientId}@clients`,
        aud: t.emu.audience,
        gty: 'client-credentials',
        azp: admin.clientId,
      });
      expect((claims.exp as number) - (claims.iat as number)).toBe(86400);
      expect(String(claims.scope).split(' ')).toEqual(admin.scopes);
    }
  });

  it('refuses a wrong secret, an unknown client and a wrong audience with Auth0\u2019s bodies', async () => {
    const admin = t.emu.clients.find((c) => c.name === 'admin')!;
    const base = {
      grant_type: 'client_credentials',
      client_id: admin.clientId,
      client_secret: admin.clientSecret!,
      audience: t.emu.audience,
    };
    expect(await tokenRequest({ ...base, client_secret: 'wrong' })).toEqual({
      status: 401,
      body: { error: 'access_denied', error_description: 'Unauthorized' },
    });
    expect(await tokenRequest({ ...base, client_id: 'unknown' })).toEqual({
      status: 401,
      body: { error: 'access_denied', error_description: 'Unauthorized' },
    });
    expect(await tokenRequest({ ...base, audience: 'https://elsewhere.example/api/v2/' })).toEqual({
      status: 403,
      body: {
        error: 'access_denied',
        error_description: 'Service not enabled within domain: https://elsewhere.example/api/v2/',
      },
    });
    const noGrant = t.emu.clients.find((c) => c.name === 'no-grant')!;
    const refused = await tokenRequest({
      ...base,
      client_id: noGrant.clientId,
      client_secret: noGrant.clientSecret!,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error_description).toMatch(
      /^Client is not authorized to access "https:\/\/127\.0\.0\.1:\d+\/api\/v2\/"/,
    );
  });

  it('accepts a private_key_jwt client assertion', async () => {
    const { SignJWT, importPKCS8 } = await import('jose');
    const jwtClient = t.emu.clients.find((c) => c.name === 'admin-private-key-jwt')!;
    const key = await importPKCS8(jwtClient.privateKey!, 'RS256');
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(jwtClient.clientId)
      .setSubject(jwtClient.clientId)
      .setAudience(`${t.emu.url}/`)
      .setIssuedAt()
      .setExpirationTime('1m')
      .setJti(crypto.randomUUID())
      .sign(key);
    const res = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: jwtClient.clientId,
      client_assertion: assertion,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      audience: t.emu.audience,
    });
    expect(res.status).toBe(200);
    expect(res.body.access_token).toBeTruthy();
  });
});

describe('/api/v2 guards and errors', () => {
  async function get(path: string, headers: Record<string, string> = {}) {
    const res = await t.fetch(`${t.emu.url}/api/v2${path}`, { headers });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  }

  it('answers 401 without or with a bad token', async () => {
    expect((await get('/users')).body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Missing authentication',
    });
    const token = await t.token();
    const [h, p] = token.split('.');
    const tampered = `${h}.${p}.${'A'.repeat(342)}`;
    expect((await get('/users', { authorization: `Bearer ${tampered}` })).body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Invalid signature received for JSON Web Token validation.',
    });
    expect((await get('/users', { authorization: 'Bearer not-a-jwt' })).body).toMatchObject({
      statusCode: 401,
      message: 'Invalid token',
    });
  });

  it('answers 403 insufficient_scope when the grant lacks the endpoint\u2019s scope', async () => {
    const token = await t.token('support-desk');
    const someone = [...t.emu.store.users.keys()][0]!;
    const res = await t.fetch(`${t.emu.url}/api/v2/users/${encodeURIComponent(someone)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Insufficient scope, expected any of: delete:users,delete:current_user',
      errorCode: 'insufficient_scope',
    });
    expect(t.emu.store.users.has(someone)).toBe(true);
  });

  it('answers malformed JSON, oversized bodies and unknown routes like Auth0', async () => {
    const auth = { authorization: `Bearer ${await t.token()}` };
    const bad = await t.fetch(`${t.emu.url}/api/v2/users`, {
      method: 'POST',
      headers: { ...auth, ...json },
      body: '{"connection":',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Invalid request payload JSON format',
    });

    const big = await t.fetch(`${t.emu.url}/api/v2/users`, {
      method: 'POST',
      headers: { ...auth, ...json },
      body: JSON.stringify({
        connection: 'Username-Password-Authentication',
        user_metadata: { blob: 'x'.repeat(1_100_000) },
      }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { message: string }).message).toMatch(
      /^Payload content length greater than maximum allowed: 1048576/,
    );

    const missing = await get('/nothing-here', auth);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not Found' });
  });

  it('sends x-ratelimit headers on every response', async () => {
    const res = await get('/users', { authorization: `Bearer ${await t.token()}` });
    expect(Number(res.headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);
    expect(res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(
      Math.floor(Date.now() / 1000),
    );
    const unauthenticated = await get('/users');
    expect(unauthenticated.headers.get('x-ratelimit-limit')).not.toBeNull();
  });
});

describe('rate limiting and injected failures', () => {
  it('refuses requests over the bucket with Auth0\u2019s 429 body', async () => {
    const limited = await startTestTenant({ users: 5, rateLimit: { rps: 2, burst: 3 } });
    try {
      const token = await limited.token();
      const statuses: number[] = [];
      let last429: Response | undefined;
      for (let i = 0; i < 6; i++) {
        const res = await limited.fetch(`${limited.emu.url}/api/v2/users`, {
          headers: { authorization: `Bearer ${token}` },
        });
        statuses.push(res.status);
        if (res.status === 429) last429 = res;
        else await res.arrayBuffer();
      }
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses).toContain(429);
      expect(last429!.headers.get('x-ratelimit-limit')).toBe('3');
      expect(last429!.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(await last429!.json()).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'Global limit has been reached',
        errorCode: 'too_many_requests',
      });
    } finally {
      await limited.close();
    }
  });

  it('injects 500/503 only before a write is applied', async () => {
    const flaky = await startTestTenant({ users: 0, failRate: 0.5 });
    try {
      const token = await flaky.token();
      let created = 0;
      let failed = 0;
      for (let i = 0; i < 30; i++) {
        const res = await flaky.fetch(`${flaky.emu.url}/api/v2/users`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, ...json },
          body: JSON.stringify({
            connection: 'Username-Password-Authentication',
            email: `f${i}@example.net`,
            password: 'Strong-Pass-1',
          }),
        });
        if (res.status === 201) created++;
        else {
          expect([500, 503]).toContain(res.status);
          failed++;
        }
        await res.arrayBuffer();
      }
      expect(failed).toBeGreaterThan(0);
      // Every failed request left nothing behind: the tenant holds exactly the successful creates.
      expect(flaky.emu.store.users.size).toBe(created);
    } finally {
      await flaky.close();
    }
  });
});
