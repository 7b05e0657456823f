// Revoking a user's access: one session, one refresh token, one consent or one authentication method (each checked
// to be the user's and still there, as shown), or all of a kind at once — and "sign out", every session and refresh
// token in one write, which bulk edits run for many users. A revoke sent twice has the effect of one; one that finds
// the thing already gone says so instead of sending anything.
import { z } from 'zod';
import { channels, type ChannelParsedInput } from '../../../preload/contract.js';
import { listGrants, listRefreshTokens, listSessions } from '../../users/access-reads.js';
import { operation, SkipWrite, type PendingWrite } from '../operation.js';

/** A 404 on a revoke sent again after a lost answer means it is gone: what was asked. */
async function goneIsDone(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return;
    throw err;
  }
}

const intentId = (entry: PendingWrite, key: string): string | undefined =>
  (entry.intent as Record<string, unknown> | undefined)?.[key] as string | undefined;

const ids = (list: Record<string, unknown>[]) => list.map((x) => String(x.id ?? ''));

// ---------- one of each ----------

type SessionInput = ChannelParsedInput<'users:revoke-session'>;
export const revokeSession = operation<SessionInput, Record<string, unknown>, { ok: true }>({
  name: 'user.revoke-session',
  input: channels['users:revoke-session'].input,
  risk: 'users:revoke-session',
  needs: 'sessions:revoke',
  action: 'user.revoke-session',
  target: (i) => i.userId,
  mayRepeat: true,
  async before({ management }, input) {
    const session = (await listSessions(management, input.userId)).find((s) => s.id === input.sessionId);
    if (!session)
      throw new SkipWrite('That session has already ended: it is no longer listed for this user.');
    return session;
  },
  async apply({ management }, input) {
    await goneIsDone(() => management.sessions.delete(input.sessionId));
    return { ok: true };
  },
  audit: {
    before: (s) => ({
      session: { id: s.id, ip: (s.device as { last_ip?: string } | undefined)?.last_ip, clients: s.clients },
    }),
  },
  intent: (input) => ({ sessionId: input.sessionId }),
  async readBack({ management }, entry) {
    const id = intentId(entry, 'sessionId');
    const left = ids(await listSessions(management, entry.target!));
    return { resolution: id && left.includes(id) ? 'not-applied' : 'applied' };
  },
});

type TokenInput = ChannelParsedInput<'users:revoke-refresh-token'>;
export const revokeRefreshToken = operation<TokenInput, Record<string, unknown>, { ok: true }>({
  name: 'user.revoke-refresh-token',
  input: channels['users:revoke-refresh-token'].input,
  risk: 'users:revoke-refresh-token',
  needs: 'refresh-tokens:revoke',
  action: 'user.revoke-refresh-token',
  target: (i) => i.userId,
  mayRepeat: true,
  async before({ management }, input) {
    const token = (await listRefreshTokens(management, input.userId)).find((t) => t.id === input.tokenId);
    if (!token) throw new SkipWrite('That refresh token is already revoked or expired.');
    return token;
  },
  async apply({ management }, input) {
    await goneIsDone(() => management.refreshTokens.delete(input.tokenId));
    return { ok: true };
  },
  audit: {
    before: (t) => ({ refresh_token: { id: t.id, client_id: t.client_id, session_id: t.session_id } }),
  },
  intent: (input) => ({ tokenId: input.tokenId }),
  async readBack({ management }, entry) {
    const id = intentId(entry, 'tokenId');
    const left = ids(await listRefreshTokens(management, entry.target!));
    return { resolution: id && left.includes(id) ? 'not-applied' : 'applied' };
  },
});

type GrantInput = ChannelParsedInput<'users:revoke-grant'>;
export const revokeGrant = operation<GrantInput, Record<string, unknown>, { ok: true }>({
  name: 'user.revoke-grant',
  input: channels['users:revoke-grant'].input,
  risk: 'users:revoke-grant',
  needs: 'grants:revoke',
  action: 'user.revoke-grant',
  target: (i) => i.userId,
  mayRepeat: true,
  async before({ management }, input) {
    const grant = (await listGrants(management, input.userId)).find((g) => g.id === input.grantId);
    if (!grant) throw new SkipWrite('That consent was already revoked.');
    return grant;
  },
  async apply({ management }, input) {
    await goneIsDone(() => management.userGrants.delete(input.grantId));
    return { ok: true };
  },
  audit: {
    before: (g) => ({ grant: { id: g.id, client_id: g.clientID, audience: g.audience, scope: g.scope } }),
  },
  intent: (input) => ({ grantId: input.grantId }),
  async readBack({ management }, entry) {
    const id = intentId(entry, 'grantId');
    const left = ids(await listGrants(management, entry.target!));
    return { resolution: id && left.includes(id) ? 'not-applied' : 'applied' };
  },
});

type MethodInput = ChannelParsedInput<'users:delete-authentication-method'>;
export const deleteAuthenticationMethod = operation<MethodInput, Record<string, unknown>, { ok: true }>({
  name: 'user.delete-authentication-method',
  input: channels['users:delete-authentication-method'].input,
  risk: 'users:delete-authentication-method',
  needs: 'mfa:reset',
  action: 'user.delete-authentication-method',
  target: (i) => i.userId,
  mayRepeat: true,
  async before({ management }, input) {
    const list = await management.users.authenticationMethods.list(input.userId, { per_page: 100 });
    const method = list.data.find((m) => m.id === input.methodId);
    if (!method) throw new SkipWrite('That authentication method was already removed.');
    return { id: method.id, type: method.type, name: method.name };
  },
  async apply({ management }, input) {
    await goneIsDone(() => management.users.authenticationMethods.delete(input.userId, input.methodId));
    return { ok: true };
  },
  audit: { before: (m) => ({ method: m }) },
  intent: (input) => ({ methodId: input.methodId }),
  async readBack({ management }, entry) {
    const id = intentId(entry, 'methodId');
    const list = await management.users.authenticationMethods.list(entry.target!, { per_page: 100 });
    return { resolution: id && list.data.some((m) => m.id === id) ? 'not-applied' : 'applied' };
  },
});

// ---------- all of a kind, for one user (and for each user of a bulk job) ----------

/** What a user held before an all-at-once revoke: the ids, for the audit and the job's journal. */
interface Held {
  sessions?: string[];
  refreshTokens?: string[];
  grants?: string[];
}

const allInput = z.object({ tenantId: z.string(), userId: z.string() }).passthrough();
type AllInput = ChannelParsedInput<'users:revoke-sessions'>;

function heldAudit(held: Held) {
  return {
    ...(held.sessions ? { sessions: held.sessions.length } : {}),
    ...(held.refreshTokens ? { refresh_tokens: held.refreshTokens.length } : {}),
    ...(held.grants ? { grants: held.grants.length } : {}),
  };
}

export const revokeSessions = operation<AllInput, Held, Held>({
  name: 'user.revoke-sessions',
  input: channels['users:revoke-sessions'].input,
  risk: 'users:revoke-sessions',
  needs: 'sessions:revoke',
  action: 'user.revoke-sessions',
  target: (i) => i.userId,
  mayRepeat: true,
  before: async ({ management }, input) => ({ sessions: ids(await listSessions(management, input.userId)) }),
  async apply({ management }, input, before) {
    await management.users.sessions.delete(input.userId);
    return before;
  },
  audit: { before: heldAudit },
  async readBack({ management }, entry) {
    const left = await listSessions(management, entry.target!);
    return left.length === 0
      ? { resolution: 'applied' }
      : { resolution: 'not-applied', detail: `${left.length} session(s) still listed` };
  },
  bulk: {
    kinds: ['revoke-sessions'],
    params: z.object({}).strict(),
    plan: () => ({ op: { name: 'user.revoke-sessions', params: {} } }),
    skipIf: (held) => (held.sessions?.length ? null : 'no sessions'),
    after: (held) => heldAudit(held ?? {}),
  },
});

export const revokeRefreshTokens = operation<AllInput, Held, Held>({
  name: 'user.revoke-refresh-tokens',
  input: channels['users:revoke-refresh-tokens'].input,
  risk: 'users:revoke-refresh-tokens',
  needs: 'refresh-tokens:revoke',
  action: 'user.revoke-refresh-tokens',
  target: (i) => i.userId,
  mayRepeat: true,
  before: async ({ management }, input) => ({
    refreshTokens: ids(await listRefreshTokens(management, input.userId)),
  }),
  async apply({ management }, input, before) {
    await management.users.refreshToken.delete(input.userId);
    return before;
  },
  audit: { before: heldAudit },
  async readBack({ management }, entry) {
    const left = await listRefreshTokens(management, entry.target!);
    return left.length === 0
      ? { resolution: 'applied' }
      : { resolution: 'not-applied', detail: `${left.length} refresh token(s) still listed` };
  },
  bulk: {
    kinds: ['revoke-refresh-tokens'],
    params: z.object({}).strict(),
    plan: () => ({ op: { name: 'user.revoke-refresh-tokens', params: {} } }),
    skipIf: (held) => (held.refreshTokens?.length ? null : 'no refresh tokens'),
    after: (held) => heldAudit(held ?? {}),
  },
});

export const revokeGrants = operation<AllInput, Held, Held>({
  name: 'user.revoke-grants',
  input: channels['users:revoke-grants'].input,
  risk: 'users:revoke-grants',
  needs: 'grants:revoke',
  action: 'user.revoke-grants',
  target: (i) => i.userId,
  mayRepeat: true,
  before: async ({ management }, input) => ({ grants: ids(await listGrants(management, input.userId)) }),
  async apply({ management }, input, before) {
    await management.userGrants.deleteByUserId({ user_id: input.userId });
    return before;
  },
  audit: { before: heldAudit },
  async readBack({ management }, entry) {
    const left = await listGrants(management, entry.target!);
    return left.length === 0
      ? { resolution: 'applied' }
      : { resolution: 'not-applied', detail: `${left.length} consent(s) still listed` };
  },
  bulk: {
    kinds: ['revoke-grants'],
    params: z.object({}).strict(),
    plan: () => ({ op: { name: 'user.revoke-grants', params: {} } }),
    skipIf: (held) => (held.grants?.length ? null : 'no consents'),
    after: (held) => heldAudit(held ?? {}),
  },
});

/**
 * Signing a user out: every session and every refresh token, in one write (two requests, each safe to repeat). The
 * bulk form's "Sign out everywhere"; the single-user incident action runs the two revokes as writes of their own.
 */
export const signOut = operation<AllInput, Held, Held>({
  name: 'user.sign-out',
  input: allInput,
  risk: 'users:revoke-sessions',
  needs: 'sessions:revoke',
  action: 'user.sign-out',
  target: (i) => i.userId,
  mayRepeat: true,
  before: async ({ management }, input) => {
    const [sessions, refreshTokens] = await Promise.all([
      listSessions(management, input.userId),
      listRefreshTokens(management, input.userId),
    ]);
    return { sessions: ids(sessions), refreshTokens: ids(refreshTokens) };
  },
  async apply({ management }, input, before) {
    if (before.sessions?.length !== 0) await management.users.sessions.delete(input.userId);
    if (before.refreshTokens?.length !== 0) await management.users.refreshToken.delete(input.userId);
    return before;
  },
  audit: { before: heldAudit },
  async readBack({ management }, entry) {
    const [sessions, tokens] = await Promise.all([
      listSessions(management, entry.target!),
      listRefreshTokens(management, entry.target!),
    ]);
    return sessions.length + tokens.length === 0
      ? { resolution: 'applied' }
      : {
          resolution: 'not-applied',
          detail: `${sessions.length} session(s) and ${tokens.length} refresh token(s) still listed`,
        };
  },
  bulk: {
    kinds: ['sign-out-everywhere'],
    params: z.object({}).strict(),
    plan: () => ({ op: { name: 'user.sign-out', params: {} } }),
    skipIf: (held) =>
      (held.sessions?.length ?? 0) + (held.refreshTokens?.length ?? 0)
        ? null
        : 'no sessions or refresh tokens',
    after: (held) => heldAudit(held ?? {}),
  },
});

/** Used by tests and the registry check: every access operation. */
export const ACCESS_OPERATIONS = [
  revokeSession,
  revokeRefreshToken,
  revokeGrant,
  deleteAuthenticationMethod,
  revokeSessions,
  revokeRefreshTokens,
  revokeGrants,
  signOut,
] as const;
