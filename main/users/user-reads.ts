// Reading users and what hangs off them: search, detail, MFA, blocks, roles, logs, connections. Reads change
// nothing, so they skip the write path; they still go through the tenant's scheduler like every request.
import type { ManagementClient } from 'auth0';
import type {
  Auth0User,
  ChannelParsedInput,
  ConnectionSummary,
  LogEventSummary,
  MfaState,
  RoleSummary,
  UserSearchResult,
} from '../../preload/contract.js';
import { AppError } from '../errors.js';
import { summarizeLog } from '../logs/log-reads.js';
import type { TenantService } from '../tenants/tenant-service.js';

export const SEARCH_CAP = 1000;

export function asUser(x: unknown): Auth0User {
  return x as Auth0User;
}

export async function readMfa(api: ManagementClient, userId: string): Promise<MfaState> {
  const [enrollments, methods] = await Promise.all([
    api.users.enrollments.get(userId),
    api.users.authenticationMethods.list(userId, { per_page: 100 }),
  ]);
  return {
    enrollments: enrollments.map((e) => ({
      id: String(e.id),
      status: String(e.status),
      type: String(e.type),
      ...(e.name ? { name: e.name } : {}),
      ...(e.enrolled_at ? { enrolled_at: String(e.enrolled_at) } : {}),
    })),
    authenticationMethods: methods.data.map((m) => ({
      id: String(m.id),
      type: String(m.type),
      ...(m.confirmed !== undefined ? { confirmed: m.confirmed } : {}),
      ...(m.name ? { name: m.name } : {}),
      ...(m.created_at ? { created_at: String(m.created_at) } : {}),
    })),
  };
}

export async function readUserRoles(api: ManagementClient, userId: string): Promise<RoleSummary[]> {
  const out: RoleSummary[] = [];
  for await (const r of await api.users.roles.list(userId, { per_page: 100 })) {
    out.push({
      id: String(r.id),
      name: String(r.name),
      ...(r.description ? { description: r.description } : {}),
    });
  }
  return out;
}

const SOCIAL_STRATEGIES = new Set([
  'google-oauth2',
  'github',
  'facebook',
  'twitter',
  'linkedin',
  'apple',
  'windowslive',
  'oauth2',
]);

/** Every connection of the tenant (checkpoint paging), as the console needs to know them. */
export async function readConnections(api: ManagementClient): Promise<ConnectionSummary[]> {
  const out: ConnectionSummary[] = [];
  for await (const c of await api.connections.list({ take: 100 })) {
    const options = (c.options ?? {}) as {
      passwordPolicy?: string;
      password_complexity_options?: { min_length?: number };
      requires_username?: boolean;
      validation?: { username?: { min?: number; max?: number } | null } | null;
      set_user_root_attributes?: string;
    };
    const database = c.strategy === 'auth0';
    // Auth0 syncs social profiles at each login unless set_user_root_attributes says otherwise.
    const sync =
      options.set_user_root_attributes ??
      (SOCIAL_STRATEGIES.has(String(c.strategy)) ? 'on_each_login' : 'on_first_login');
    out.push({
      id: String(c.id),
      name: String(c.name),
      strategy: String(c.strategy),
      isDatabase: database,
      passwordPolicy: database ? (options.passwordPolicy ?? 'good') : null,
      minLength: database ? (options.password_complexity_options?.min_length ?? 8) : null,
      requiresUsername: database && options.requires_username === true,
      usernameLength:
        database && options.validation?.username
          ? { min: options.validation.username.min ?? 1, max: options.validation.username.max ?? 128 }
          : null,
      syncsProfileAttributes: !database && sync === 'on_each_login',
    });
  }
  return out;
}

export class UserReads {
  constructor(private readonly tenants: TenantService) {}

  private api(tenantId: string): ManagementClient {
    return this.tenants.connection(tenantId).management;
  }

  async search(input: ChannelParsedInput<'users:search'>): Promise<UserSearchResult> {
    const start = input.page * input.perPage;
    if (start >= SEARCH_CAP)
      throw new AppError(
        'invalid_query',
        'Auth0 returns only the first 1,000 results of a search. Narrow the query (for example with a created_at range), or export the users to see them all.',
        { details: { capped: true } },
      );
    const page = await this.api(input.tenantId).users.list({
      q: input.q || undefined,
      search_engine: 'v3',
      page: input.page,
      per_page: input.perPage,
      include_totals: true,
      ...(input.sort ? { sort: input.sort } : {}),
    });
    const body = page.response as { users?: unknown[]; total?: number; start?: number; limit?: number };
    const total = body.total ?? page.data.length;
    return {
      users: (body.users ?? page.data).map(asUser),
      total,
      start: body.start ?? start,
      limit: body.limit ?? input.perPage,
      capped: total > SEARCH_CAP,
    };
  }

  async get(tenantId: string, userId: string): Promise<Auth0User> {
    return asUser(await this.api(tenantId).users.get(userId));
  }

  async blocks(tenantId: string, userId: string) {
    const r = await this.api(tenantId).userBlocks.list(userId);
    return (r.blocked_for ?? []) as { identifier: string; ip?: string; connection?: string }[];
  }

  mfa(tenantId: string, userId: string): Promise<MfaState> {
    return readMfa(this.api(tenantId), userId);
  }

  roles(tenantId: string, userId: string): Promise<RoleSummary[]> {
    return readUserRoles(this.api(tenantId), userId);
  }

  async logs(
    tenantId: string,
    userId: string,
    page: number,
  ): Promise<{ logs: LogEventSummary[]; total: number }> {
    const r = await this.api(tenantId).users.logs.list(userId, {
      page,
      per_page: 50,
      sort: 'date:-1',
      include_totals: true,
    });
    const body = r.response as { logs?: Record<string, unknown>[]; total?: number };
    const logs = (body.logs ?? (r.data as unknown as Record<string, unknown>[])).map(summarizeLog);
    return { logs, total: body.total ?? logs.length };
  }

  /** Every role of the tenant matching the filter — not just the first 50 the web dashboard offers. */
  async searchRoles(tenantId: string, nameFilter: string): Promise<{ roles: RoleSummary[]; total: number }> {
    const roles: RoleSummary[] = [];
    for await (const r of await this.api(tenantId).roles.list({
      per_page: 100,
      ...(nameFilter ? { name_filter: nameFilter } : {}),
    })) {
      roles.push({
        id: String(r.id),
        name: String(r.name),
        ...(r.description ? { description: r.description } : {}),
      });
    }
    roles.sort((a, b) => a.name.localeCompare(b.name));
    return { roles, total: roles.length };
  }

  connections(tenantId: string): Promise<ConnectionSummary[]> {
    return readConnections(this.api(tenantId));
  }
}
