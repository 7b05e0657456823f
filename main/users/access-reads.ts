// A user's access as Auth0 lists it: sessions and refresh tokens (checkpoint paged), consents (grants) and the names
// of the applications they belong to. Each part is read on its own: a grant without read:grants, or a tenant whose
// plan has no session endpoints, hides that part with the reason, not the whole panel.
import type { ManagementClient } from 'auth0';
import type {
  AccessPart,
  GrantView,
  RefreshTokenView,
  SessionView,
  UserAccess,
} from '../../preload/contract.js';
import { classify } from '../errors.js';

/** At most this many of each are read for one user (Auth0 keeps far fewer for a person). */
const MAX_ITEMS = 1000;

/** Auth0 gives a session's dates as ISO strings, or as `{ date }` objects on some tenants. */
export function dateOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value) return value;
  if (value && typeof value === 'object') {
    const d = (value as { date?: unknown }).date;
    if (typeof d === 'string' && d) return d;
  }
  return undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The items of a paged list, page after page, at most MAX_ITEMS of them. */
async function firstItems(pages: AsyncIterable<unknown>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const item of pages) {
    out.push(item as Record<string, unknown>);
    if (out.length >= MAX_ITEMS) break;
  }
  return out;
}

export async function listSessions(
  api: ManagementClient,
  userId: string,
): Promise<Record<string, unknown>[]> {
  return firstItems(await api.users.sessions.list(userId, { take: 100 }));
}

export async function listRefreshTokens(
  api: ManagementClient,
  userId: string,
): Promise<Record<string, unknown>[]> {
  return firstItems(await api.users.refreshToken.list(userId, { take: 100 }));
}

export async function listGrants(api: ManagementClient, userId: string): Promise<Record<string, unknown>[]> {
  return firstItems(await api.userGrants.list({ user_id: userId, per_page: 100 }));
}

export function sessionView(s: Record<string, unknown>, names: Map<string, string>): SessionView {
  const device = (s.device ?? {}) as Record<string, unknown>;
  const clients = Array.isArray(s.clients) ? (s.clients as Record<string, unknown>[]) : [];
  const auth = (s.authentication ?? {}) as { methods?: { name?: unknown }[] };
  const ip = str(device.last_ip) ?? str(device.initial_ip);
  const initialIp = str(device.initial_ip);
  const meta = (s.session_metadata ?? {}) as Record<string, unknown>;
  const location = str(meta.location) ?? str(device.last_location) ?? str(device.location);
  return {
    id: String(s.id ?? ''),
    ...opt('createdAt', dateOf(s.created_at)),
    ...opt('authenticatedAt', dateOf(s.authenticated_at)),
    ...opt('lastInteractedAt', dateOf(s.last_interacted_at)),
    ...opt('idleExpiresAt', dateOf(s.idle_expires_at)),
    ...opt('expiresAt', dateOf(s.expires_at)),
    ...opt('userAgent', str(device.last_user_agent) ?? str(device.initial_user_agent)),
    ...opt('ip', ip),
    ...(initialIp && initialIp !== ip ? { initialIp } : {}),
    ...opt('asn', str(device.last_asn) ?? str(device.initial_asn)),
    ...opt('location', location),
    clients: clients
      .map((c) => str(c.client_id))
      .filter((id): id is string => !!id)
      .map((clientId) => ({ clientId, ...opt('name', names.get(clientId)) })),
    methods: (auth.methods ?? []).map((m) => str(m.name)).filter((n): n is string => !!n),
  };
}

export function refreshTokenView(t: Record<string, unknown>, names: Map<string, string>): RefreshTokenView {
  const device = (t.device ?? {}) as Record<string, unknown>;
  const clientId = str(t.client_id);
  const servers = Array.isArray(t.resource_servers) ? (t.resource_servers as { audience?: unknown }[]) : [];
  return {
    id: String(t.id ?? ''),
    ...opt('clientId', clientId),
    ...opt('clientName', clientId ? names.get(clientId) : undefined),
    ...opt('sessionId', str(t.session_id)),
    ...opt('createdAt', dateOf(t.created_at)),
    ...opt('lastUsedAt', dateOf(t.last_exchanged_at)),
    ...opt('idleExpiresAt', dateOf(t.idle_expires_at)),
    ...opt('expiresAt', dateOf(t.expires_at)),
    ...(typeof t.rotating === 'boolean' ? { rotating: t.rotating } : {}),
    ...opt('ip', str(device.last_ip) ?? str(device.initial_ip)),
    ...opt('userAgent', str(device.last_user_agent) ?? str(device.initial_user_agent)),
    audiences: servers.map((r) => str(r.audience)).filter((a): a is string => !!a),
  };
}

export function grantView(g: Record<string, unknown>, names: Map<string, string>): GrantView {
  const clientId = String(g.clientID ?? g.client_id ?? '');
  return {
    id: String(g.id ?? ''),
    clientId,
    ...opt('clientName', names.get(clientId)),
    ...opt('audience', str(g.audience)),
    scope: Array.isArray(g.scope) ? g.scope.filter((x): x is string => typeof x === 'string') : [],
  };
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Application names by client id, where the grant may read them (nothing otherwise: ids are shown). */
async function clientNames(api: ManagementClient): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  try {
    for await (const c of await api.clients.list({
      fields: 'client_id,name',
      include_fields: true,
      per_page: 100,
    })) {
      const rec = c as { client_id?: string; name?: string };
      if (rec.client_id && rec.name) names.set(rec.client_id, rec.name);
      if (names.size >= 2000) break;
    }
  } catch {
    // read:clients is optional: the panel shows client ids instead.
  }
  return names;
}

async function part<T>(read: () => Promise<T[]>): Promise<AccessPart<T>> {
  try {
    return { ok: true, items: await read() };
  } catch (err) {
    const e = classify(err);
    return { ok: false, reason: e.message };
  }
}

export async function readAccess(api: ManagementClient, userId: string): Promise<UserAccess> {
  const names = await clientNames(api);
  const [sessions, refreshTokens, grants] = await Promise.all([
    part(async () => (await listSessions(api, userId)).map((s) => sessionView(s, names))),
    part(async () => (await listRefreshTokens(api, userId)).map((t) => refreshTokenView(t, names))),
    part(async () => (await listGrants(api, userId)).map((g) => grantView(g, names))),
  ]);
  return { sessions, refreshTokens, grants, readAt: new Date().toISOString() };
}
