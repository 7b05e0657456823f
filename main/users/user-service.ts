// Users on a tenant: search, detail, lifecycle and the support-desk actions. Every write passes the tenant's
// scheduler (through its ManagementClient) and lands in the audit log; destructive ones on a production tenant
// need the tenant's domain typed back, checked here as well as in the window.
import type {
  Auth0User,
  ChannelParsedInput,
  ConnectionSummary,
  LogEventSummary,
  MfaState,
  RoleSummary,
  UserSearchResult,
} from '../../preload/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import { AppError, classify } from '../errors.js';
import { RETRY_UNSAFE_HEADER } from '../scheduler/rate-scheduler.js';
import type { StoredProfile } from '../tenants/profile-store.js';
import type { TenantService } from '../tenants/tenant-service.js';

const SEARCH_CAP = 1000;

type In<C extends 'users:search' | 'users:create' | 'users:update-metadata' | 'users:password-ticket'> =
  ChannelParsedInput<C>;

function asUser(x: unknown): Auth0User {
  return x as Auth0User;
}

export class UserService {
  constructor(
    private readonly tenants: TenantService,
    private readonly audit: AuditLog,
    private readonly now: () => number = Date.now,
  ) {}

  private api(tenantId: string) {
    return this.tenants.connection(tenantId).management;
  }

  /** Destructive actions on production tenants: the caller must type the domain back. */
  private guard(profile: StoredProfile, confirmDomain: string | undefined): void {
    if (profile.environment !== 'production') return;
    if ((confirmDomain ?? '').trim().toLowerCase() === profile.domain.toLowerCase()) return;
    throw new AppError(
      'validation',
      `This is a production tenant. Type its domain (${profile.domain}) to confirm.`,
      {
        details: { confirmDomain: profile.domain },
      },
    );
  }

  /** Runs one write and records it in the audit log, whatever its outcome. */
  private async write<T>(
    tenantId: string,
    action: string,
    target: string | null,
    run: () => Promise<T>,
    describe: { before?: unknown; after?: (result: T) => unknown } = {},
  ): Promise<T> {
    const profile = this.tenants.stored(tenantId);
    try {
      const result = await run();
      this.audit.record({
        tenantId,
        tenantDomain: profile.domain,
        action,
        target,
        outcome: 'success',
        ...(describe.before !== undefined ? { before: describe.before } : {}),
        ...(describe.after ? { after: describe.after(result) } : {}),
      });
      return result;
    } catch (err) {
      this.audit.record({
        tenantId,
        tenantDomain: profile.domain,
        action,
        target,
        outcome: 'failure',
        error: classify(err).message,
        ...(describe.before !== undefined ? { before: describe.before } : {}),
      });
      throw err;
    }
  }

  async search(input: In<'users:search'>): Promise<UserSearchResult> {
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

  async create(input: In<'users:create'>): Promise<Auth0User> {
    const conn = this.tenants.connection(input.tenantId);
    const retriesBefore = conn.scheduler.stats.retried;
    const startedAt = this.now();
    return this.write(
      input.tenantId,
      'user.create',
      input.email,
      async () => {
        try {
          // Safe to repeat: if a retried create meets 409, we check whether it is the user we just made.
          return asUser(
            await conn.management.users.create(
              {
                connection: input.connection,
                email: input.email,
                password: input.password,
                email_verified: input.emailVerified,
                verify_email: input.verifyEmail,
                ...(input.name ? { name: input.name } : {}),
              },
              { headers: { [RETRY_UNSAFE_HEADER]: '1' } },
            ),
          );
        } catch (err) {
          const e = err as { statusCode?: number };
          if (e.statusCode === 409 && conn.scheduler.stats.retried > retriesBefore) {
            const found = await conn.management.users.listUsersByEmail({ email: input.email });
            const mine = found.find(
              (u) =>
                u.identities?.some((i) => i.connection === input.connection) &&
                Date.parse(u.created_at as string) >= startedAt - 5_000,
            );
            if (mine) return asUser(mine);
          }
          throw err;
        }
      },
      { after: (u) => ({ user_id: u.user_id, email: u.email, connection: input.connection }) },
    );
  }

  async updateMetadata(input: In<'users:update-metadata'>): Promise<Auth0User> {
    const api = this.api(input.tenantId);
    const current = asUser(await api.users.get(input.userId));
    if (current.updated_at !== input.expectedUpdatedAt)
      throw new AppError(
        'conflict',
        `This user was changed on the tenant after you opened it (updated ${current.updated_at ?? 'just now'}). Your edit was not saved: reload the user, then make it again.`,
        {
          details: {
            stale: true,
            current: { updated_at: current.updated_at, [input.kind]: current[input.kind] ?? {} },
          },
        },
      );
    const before = Object.fromEntries(
      Object.keys(input.changes).map((k) => [k, (current[input.kind] ?? {})[k] ?? null]),
    );
    return this.write(
      input.tenantId,
      `user.update-${input.kind.replace('_', '-')}`,
      input.userId,
      async () => asUser(await api.users.update(input.userId, { [input.kind]: input.changes })),
      { before, after: () => input.changes },
    );
  }

  async setBlocked(
    tenantId: string,
    userId: string,
    blocked: boolean,
    confirmDomain?: string,
  ): Promise<Auth0User> {
    if (blocked) this.guard(this.tenants.stored(tenantId), confirmDomain);
    return this.write(
      tenantId,
      blocked ? 'user.block' : 'user.unblock',
      userId,
      async () => asUser(await this.api(tenantId).users.update(userId, { blocked })),
      { after: () => ({ blocked }) },
    );
  }

  async blocks(tenantId: string, userId: string) {
    const r = await this.api(tenantId).userBlocks.list(userId);
    return (r.blocked_for ?? []) as { identifier: string; ip?: string; connection?: string }[];
  }

  async unblockBruteForce(tenantId: string, userId: string): Promise<{ ok: true }> {
    await this.write(tenantId, 'user.unblock-brute-force', userId, () =>
      this.api(tenantId).userBlocks.delete(userId),
    );
    return { ok: true };
  }

  async delete(tenantId: string, userId: string, confirmDomain?: string): Promise<{ userId: string }> {
    this.guard(this.tenants.stored(tenantId), confirmDomain);
    const before = await this.get(tenantId, userId).catch(() => undefined);
    await this.write(tenantId, 'user.delete', userId, () => this.api(tenantId).users.delete(userId), {
      ...(before
        ? {
            before: {
              email: before.email,
              name: before.name,
              connection: before.identities?.[0]?.connection,
            },
          }
        : {}),
    });
    return { userId };
  }

  async setEmailVerified(tenantId: string, userId: string): Promise<Auth0User> {
    return this.write(tenantId, 'user.mark-email-verified', userId, async () =>
      asUser(await this.api(tenantId).users.update(userId, { email_verified: true })),
    );
  }

  async sendVerificationEmail(tenantId: string, userId: string): Promise<{ jobId: string }> {
    const job = await this.write(tenantId, 'user.send-verification-email', userId, () =>
      this.api(tenantId).jobs.verificationEmail.create({ user_id: userId }),
    );
    return { jobId: String(job.id) };
  }

  async passwordTicket(input: In<'users:password-ticket'>): Promise<{ ticket: string; expiresAt: string }> {
    const r = await this.write(input.tenantId, 'user.password-ticket', input.userId, () =>
      this.api(input.tenantId).tickets.changePassword({
        user_id: input.userId,
        ttl_sec: input.ttlSec,
        mark_email_as_verified: input.markEmailVerified,
        ...(input.resultUrl ? { result_url: input.resultUrl } : {}),
      }),
    );
    return { ticket: String(r.ticket), expiresAt: new Date(this.now() + input.ttlSec * 1000).toISOString() };
  }

  private databaseIdentity(user: Auth0User) {
    const identity = user.identities?.find((i) => i.provider === 'auth0');
    if (!identity)
      throw new AppError(
        'validation',
        'This user signs in through a social or enterprise connection: their password is managed there, not by Auth0.',
      );
    return identity;
  }

  async resetEmail(tenantId: string, userId: string): Promise<{ sentTo: string }> {
    const user = await this.get(tenantId, userId);
    const identity = this.databaseIdentity(user);
    if (!user.email)
      throw new AppError('validation', 'This user has no email address to send the reset link to.');
    const conn = this.tenants.connection(tenantId);
    const profile = this.tenants.stored(tenantId);
    await this.write(tenantId, 'user.reset-email', userId, async () => {
      const res = await conn.scheduler.fetch(`https://${profile.domain}/dbconnections/change_password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_id: profile.clientId,
          email: user.email,
          connection: identity.connection,
        }),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: string; error_description?: string };
        throw new AppError(
          'auth0_error',
          `The tenant refused to send the reset email: ${body.error_description ?? body.error ?? res.status}`,
          {
            status: res.status,
          },
        );
      }
      await res.arrayBuffer();
    });
    return { sentTo: user.email };
  }

  async setPassword(
    tenantId: string,
    userId: string,
    password: string,
    confirmDomain?: string,
  ): Promise<Auth0User> {
    this.guard(this.tenants.stored(tenantId), confirmDomain);
    const user = await this.get(tenantId, userId);
    const identity = this.databaseIdentity(user);
    // The password itself is never audited.
    return this.write(tenantId, 'user.set-password', userId, async () =>
      asUser(await this.api(tenantId).users.update(userId, { password, connection: identity.connection })),
    );
  }

  async mfa(tenantId: string, userId: string): Promise<MfaState> {
    const api = this.api(tenantId);
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

  async mfaReset(tenantId: string, userId: string, confirmDomain?: string): Promise<MfaState> {
    this.guard(this.tenants.stored(tenantId), confirmDomain);
    const before = await this.mfa(tenantId, userId);
    await this.write(
      tenantId,
      'user.mfa-reset',
      userId,
      () => this.api(tenantId).users.authenticationMethods.deleteAll(userId),
      {
        before: { methods: before.authenticationMethods.map((m) => m.type) },
      },
    );
    return this.mfa(tenantId, userId);
  }

  async invalidateRememberBrowser(tenantId: string, userId: string): Promise<{ ok: true }> {
    await this.write(tenantId, 'user.invalidate-remember-browser', userId, () =>
      this.api(tenantId).users.multifactor.invalidateRememberBrowser(userId),
    );
    return { ok: true };
  }

  async roles(tenantId: string, userId: string): Promise<RoleSummary[]> {
    const out: RoleSummary[] = [];
    for await (const r of await this.api(tenantId).users.roles.list(userId, { per_page: 100 })) {
      out.push({
        id: String(r.id),
        name: String(r.name),
        ...(r.description ? { description: r.description } : {}),
      });
    }
    return out;
  }

  async assignRoles(tenantId: string, userId: string, roleIds: string[]): Promise<RoleSummary[]> {
    await this.write(
      tenantId,
      'user.assign-roles',
      userId,
      () => this.api(tenantId).users.roles.assign(userId, { roles: roleIds }),
      {
        after: () => ({ roles: roleIds }),
      },
    );
    return this.roles(tenantId, userId);
  }

  async removeRoles(
    tenantId: string,
    userId: string,
    roleIds: string[],
    confirmDomain?: string,
  ): Promise<RoleSummary[]> {
    this.guard(this.tenants.stored(tenantId), confirmDomain);
    await this.write(
      tenantId,
      'user.remove-roles',
      userId,
      () => this.api(tenantId).users.roles.delete(userId, { roles: roleIds }),
      {
        before: { roles: roleIds },
      },
    );
    return this.roles(tenantId, userId);
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
    const logs = (body.logs ?? (r.data as unknown as Record<string, unknown>[])).map((l) => ({
      log_id: String(l.log_id ?? l._id ?? ''),
      date: String(l.date ?? ''),
      type: String(l.type ?? ''),
      ...(l.description ? { description: String(l.description) } : {}),
      ...(l.ip ? { ip: String(l.ip) } : {}),
      ...(l.client_name ? { client_name: String(l.client_name) } : {}),
      ...(l.connection ? { connection: String(l.connection) } : {}),
    }));
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

  async connections(tenantId: string): Promise<ConnectionSummary[]> {
    const out: ConnectionSummary[] = [];
    for await (const c of await this.api(tenantId).connections.list({ take: 100 })) {
      const options = (c.options ?? {}) as {
        passwordPolicy?: string;
        password_complexity_options?: { min_length?: number };
      };
      out.push({
        id: String(c.id),
        name: String(c.name),
        strategy: String(c.strategy),
        isDatabase: c.strategy === 'auth0',
        passwordPolicy: c.strategy === 'auth0' ? (options.passwordPolicy ?? 'good') : null,
        minLength: c.strategy === 'auth0' ? (options.password_complexity_options?.min_length ?? 8) : null,
      });
    }
    return out;
  }
}
