// Revoking a user's access: one session, one refresh token, one consent or one authentication method (each checked
// to be the user's and still there, as shown), or all of a kind at once — and "sign out", every session and refresh
// token in one write, which bulk edits run for many users. A revoke sent twice has the effect of one; one that finds
// the thing already gone says so instead of sending anything.
import { z } from 'zod';
import type { ManagementClient } from 'auth0';
import { channels, type Capability, type ChannelParsedInput } from '../../../preload/contract.js';
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

type OneChannel = 'users:revoke-session' | 'users:revoke-refresh-token' | 'users:revoke-grant';

/**
 * Revoking one session, refresh token or consent: read the user's list first, so an id that is not this user's (or is
 * gone already) is refused in words with nothing sent; delete it by id; read back by whether it is still listed.
 */
function revokeOne<C extends OneChannel>(o: {
  channel: C;
  name: string;
  needs: Capability;
  /** The input field naming the thing revoked. */
  key: 'sessionId' | 'tokenId' | 'grantId';
  list: (management: ManagementClient, userId: string) => Promise<Record<string, unknown>[]>;
  remove: (management: ManagementClient, id: string) => Promise<unknown>;
  /** Why nothing is sent when it is no longer listed. */
  gone: string;
  audit: (item: Record<string, unknown>) => unknown;
}) {
  const idOf = (input: ChannelParsedInput<C>) => (input as Record<string, unknown>)[o.key] as string;
  return operation<ChannelParsedInput<C>, Record<string, unknown>, { ok: true }>({
    name: o.name,
    input: channels[o.channel].input,
    risk: o.channel,
    needs: o.needs,
    action: o.name,
    target: (i) => i.userId,
    mayRepeat: true,
    async before({ management }, input) {
      const item = (await o.list(management, input.userId)).find((x) => x.id === idOf(input));
      if (!item) throw new SkipWrite(o.gone);
      return item;
    },
    async apply({ management }, input) {
      await goneIsDone(() => o.remove(management, idOf(input)));
      return { ok: true };
    },
    audit: { before: o.audit },
    intent: (input) => ({ [o.key]: idOf(input) }),
    async readBack({ management }, entry) {
      const id = intentId(entry, o.key);
      const left = ids(await o.list(management, entry.target!));
      return { resolution: id && left.includes(id) ? 'not-applied' : 'applied' };
    },
  });
}

export const revokeSession = revokeOne({
  channel: 'users:revoke-session',
  name: 'user.revoke-session',
  needs: 'sessions:revoke',
  key: 'sessionId',
  list: listSessions,
  remove: (management, id) => management.sessions.delete(id),
  gone: 'That session has already ended: it is no longer listed for this user.',
  audit: (s) => ({
    session: { id: s.id, ip: (s.device as { last_ip?: string } | undefined)?.last_ip, clients: s.clients },
  }),
});

export const revokeRefreshToken = revokeOne({
  channel: 'users:revoke-refresh-token',
  name: 'user.revoke-refresh-token',
  needs: 'refresh-tokens:revoke',
  key: 'tokenId',
  list: listRefreshTokens,
  remove: (management, id) => management.refreshTokens.delete(id),
  gone: 'That refresh token is already revoked or expired.',
  audit: (t) => ({ refresh_token: { id: t.id, client_id: t.client_id, session_id: t.session_id } }),
});

export const revokeGrant = revokeOne({
  channel: 'users:revoke-grant',
  name: 'user.revoke-grant',
  needs: 'grants:revoke',
  key: 'grantId',
  list: listGrants,
  remove: (management, id) => management.userGrants.delete(id),
  gone: 'That consent was already revoked.',
  audit: (g) => ({ grant: { id: g.id, client_id: g.clientID, audience: g.audience, scope: g.scope } }),
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
