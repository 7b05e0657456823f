// Sessions, refresh tokens, consents and revoke-access on the local tenant, through the unmodified auth0 SDK: the
// shapes and paging Auth0 answers with (checkpoint `from`/`take` → `next`), deletes one by one and a user's whole set,
// the per-scope rules, 404s in Auth0's words, and the seed (sessions for users who signed in within 30 days).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkFailure as failure, startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
beforeAll(async () => {
  t = await startTestTenant({ users: 600, seed: 'sessions-test' });
});
afterAll(async () => t?.close());

const holder = () => {
  const store = t.emu.store;
  return [...store.refreshTokens.keys()].find((u) => (store.sessions.get(u)?.length ?? 0) >= 2)!;
};

describe('the seed', () => {
  it('gives sessions to users who signed in within 30 days, some a phone session with a token and a consent', () => {
    const store = t.emu.store;
    const now = Date.now();
    for (const [userId, sessions] of store.sessions) {
      const user = store.users.get(userId)!;
      expect(now - Date.parse(user.last_login!)).toBeLessThan(32 * 86_400_000);
      expect(sessions[0]!.device.last_ip).toBe(user.last_ip);
    }
    expect(store.sessions.size).toBeGreaterThan(20);
    expect(store.refreshTokens.size).toBeGreaterThan(5);
    for (const [userId, [token]] of store.refreshTokens) {
      expect(store.sessions.get(userId)!.some((s) => s.id === token!.session_id)).toBe(true);
      expect(store.grants.get(userId)?.[0]?.clientID).toBe(token!.client_id);
    }
  });
});

describe('sessions and refresh tokens through the SDK', () => {
  it('lists a user’s sessions by checkpoint, one page after another', async () => {
    const userId = holder();
    const expected = t.emu.store.sessions.get(userId)!.map((s) => s.id);
    const seen: string[] = [];
    for await (const s of await t.client().users.sessions.list(userId, { take: 1 })) seen.push(s.id!);
    expect(seen).toEqual(expected);
    const one = await t.client().sessions.get(expected[0]!);
    expect(one).toMatchObject({ id: expected[0], user_id: userId });
    expect(one.device?.last_user_agent).toBeTruthy();
  });

  it('deletes one session, then every one, and every refresh token; a gone one is a 404 in Auth0’s words', async () => {
    const userId = holder();
    const [first] = t.emu.store.sessions.get(userId)!;
    await t.client().sessions.delete(first!.id);
    expect(t.emu.store.sessions.get(userId)!.some((s) => s.id === first!.id)).toBe(false);
    const gone = await failure(t.client().sessions.delete(first!.id));
    expect(gone.statusCode).toBe(404);
    await t.client().users.sessions.delete(userId);
    expect(t.emu.store.sessions.has(userId)).toBe(false);
    const tokens = [];
    for await (const x of await t.client().users.refreshToken.list(userId)) tokens.push(x);
    expect(tokens).toHaveLength(1);
    await t.client().refreshTokens.delete(tokens[0]!.id!);
    expect(t.emu.store.refreshTokens.has(userId)).toBe(false);
    expect((await failure(t.client().refreshTokens.get(tokens[0]!.id!))).statusCode).toBe(404);
  });

  it('revokes access: one session with its refresh tokens, or everything', async () => {
    const store = t.emu.store;
    const userId = [...store.refreshTokens.keys()].find((u) => (store.sessions.get(u)?.length ?? 0) >= 2)!;
    const token = store.refreshTokens.get(userId)![0]!;
    await t
      .client()
      .users.revokeAccess(userId, { session_id: token.session_id!, preserve_refresh_tokens: true });
    expect(store.sessions.get(userId)!.some((s) => s.id === token.session_id)).toBe(false);
    expect(store.refreshTokens.has(userId)).toBe(true);
    await t.client().users.revokeAccess(userId, {});
    expect(store.sessions.has(userId)).toBe(false);
    expect(store.refreshTokens.has(userId)).toBe(false);
    const bad = await failure(t.client().users.revokeAccess(userId, { nope: true } as never));
    expect(bad.statusCode).toBe(400);
  });

  it('lists and deletes consents, by id and by user', async () => {
    const store = t.emu.store;
    const [a, b] = [...store.grants.keys()];
    const listed = [];
    for await (const g of await t.client().userGrants.list({ user_id: a! })) listed.push(g);
    expect(listed.map((g) => g.id)).toEqual(store.grants.get(a!)!.map((g) => g.id));
    await t.client().userGrants.delete(listed[0]!.id!);
    expect(store.grants.has(a!)).toBe(false);
    await t.client().userGrants.deleteByUserId({ user_id: b! });
    expect(store.grants.has(b!)).toBe(false);
  });

  it('answers with Auth0’s status codes and envelopes (go-auth0’s recordings)', async () => {
    const token = await t.token('admin');
    const api = (path: string, init: RequestInit = {}) =>
      t.fetch(`${t.emu.url}/api/v2${path}`, { ...init, headers: { authorization: `Bearer ${token}` } });
    const store = t.emu.store;
    const userId = [...store.refreshTokens.keys()].find((u) => store.sessions.has(u))!;
    const listed = await api(
      `/users/${encodeURIComponent(userId)}/refresh-tokens?include_totals=true&per_page=50`,
    );
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as { tokens: { id: string }[]; total: number };
    expect(body.total).toBe(body.tokens.length);
    const one = await api(`/refresh-tokens/${body.tokens[0]!.id}`, { method: 'DELETE' });
    expect(one.status).toBe(204);
    const all = await api(`/users/${encodeURIComponent(userId)}/sessions`, { method: 'DELETE' });
    expect([all.status, await all.text()]).toEqual([202, '{}']);
    const tokens = await api(`/users/${encodeURIComponent(userId)}/refresh-tokens`, { method: 'DELETE' });
    expect([tokens.status, await tokens.text()]).toEqual([202, '{}']);
  });

  it('asks each endpoint’s own scope: a support-desk grant reads none of them', async () => {
    const userId = [...t.emu.store.sessions.keys()][0]!;
    for (const call of [
      t.client('support-desk').users.sessions.list(userId),
      t.client('support-desk').users.refreshToken.list(userId),
      t.client('support-desk').userGrants.list({ user_id: userId }),
    ])
      expect((await failure(call)).statusCode).toBe(403);
    expect(t.emu.store.sessions.has(userId)).toBe(true);
  });
});
