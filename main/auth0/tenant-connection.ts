// Everything that talks to one tenant: an HTTPS agent trusting its CA, its scheduler, its token provider and one
// auth0 ManagementClient. Every request — the token request too — goes through the scheduler, which alone decides
// when a request is sent, how long an attempt may take and whether it is repeated.
import { ManagementClient } from 'auth0';
import { Agent } from 'undici';
import { AppError } from '../errors.js';
import type { StoredProfile } from '../tenants/profile-store.js';
import {
  RateScheduler,
  withRequestPolicy,
  type SchedulerHealth,
  type SchedulerOptions,
} from '../scheduler/rate-scheduler.js';
import { TokenProvider } from './token-provider.js';

/** The SDK's own per-request timer would count time spent queued in the scheduler: keep it out of the way. */
const SDK_TIMEOUT_SECONDS = 24 * 3600;

export interface ConnectionOptions {
  secret: () => Promise<string | null>;
  scheduler?: SchedulerOptions;
  now?: () => number;
  /** Per attempt, from when it is sent. */
  timeoutMs?: number;
  /** Wraps the raw HTTPS transport under the scheduler (fault injection in tests, proxies). */
  wrapTransport?: (transport: typeof fetch) => typeof fetch;
  /** The scheduler's queue stopped moving. */
  onStall?: (health: SchedulerHealth) => void;
}

export class TenantConnection {
  readonly agent: Agent;
  readonly scheduler: RateScheduler;
  readonly tokens: TokenProvider;
  readonly management: ManagementClient;
  readonly audience: string;
  private readonly stopWatchdog: () => void;

  constructor(
    readonly profile: StoredProfile,
    options: ConnectionOptions,
  ) {
    const timeout = options.timeoutMs ?? options.scheduler?.attemptTimeoutMs ?? 30_000;
    this.agent = new Agent({
      connect: { ...(profile.caCert ? { ca: profile.caCert } : {}), timeout: Math.min(timeout, 15_000) },
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    // The runtime's fetch (it understands the SDK's FormData bodies) over our agent.
    const transport = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      fetch(input, { ...init, dispatcher: this.agent } as unknown as RequestInit)) as typeof fetch;
    this.scheduler = new RateScheduler(options.wrapTransport ? options.wrapTransport(transport) : transport, {
      attemptTimeoutMs: timeout,
      ...options.scheduler,
    });
    this.stopWatchdog = options.onStall ? this.scheduler.watch(options.onStall) : () => undefined;
    this.audience = profile.audience ?? `https://${profile.domain}/api/v2/`;
    // Token requests: their own bucket (the Authentication API's), always safe to repeat, ahead of job work.
    const tokenFetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      withRequestPolicy({ bucket: 'authentication', idempotent: true, lane: 'interactive' }, () =>
        this.scheduler.fetch(input, init),
      )) as typeof fetch;
    this.tokens = new TokenProvider({
      domain: profile.domain,
      clientId: profile.clientId,
      audience: this.audience,
      authMethod: profile.authMethod,
      secret: options.secret,
      fetch: tokenFetch,
      ...(options.now ? { now: options.now } : {}),
    });
    this.apiFetch = this.renewingFetch();
    this.management = new ManagementClient({
      domain: profile.domain,
      audience: this.audience,
      token: async () => (await this.tokens.get()).token,
      fetch: this.apiFetch,
      maxRetries: 0,
      timeoutInSeconds: SDK_TIMEOUT_SECONDS,
      telemetry: false,
    });
  }

  /**
   * The Management API's fetch: through the scheduler; a 401 to a token this connection issued (the tenant rotated
   * its keys, or revoked the token) drops that token, fetches a new one once, and sends the request once more with
   * it. A 401 is answered before anything is done, so sending again is safe for a write too. When the new token is
   * refused as well, that answer stands: no loop.
   */
  private renewingFetch(): typeof fetch {
    return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const res = await this.scheduler.fetch(input, init);
      if (res.status !== 401) return res;
      const used = new Headers(init?.headers).get('authorization')?.replace(/^Bearer\s+/i, '');
      if (!used || !this.tokens.issued.has(used)) return res;
      this.tokens.invalidate(used);
      const fresh = (await this.tokens.get()).token;
      if (fresh === used) return res;
      await res.body?.cancel().catch(() => undefined);
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${fresh}`);
      this.renewals++;
      return this.scheduler.fetch(input, { ...init, headers });
    }) as typeof fetch;
  }

  private readonly apiFetch: typeof fetch;

  /**
   * A Management API read the SDK has no shape for (an organization's member count by offset paging, which its
   * checkpoint-only list can't ask), through the same scheduled fetch that renews a refused token. The parsed body,
   * or null when the tenant refused it (the caller says "not known").
   */
  async readJson(path: string): Promise<unknown> {
    const { token } = await this.tokens.get();
    const res = await this.apiFetch(`https://${this.profile.domain}/api/v2${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return null;
    }
    return res.json();
  }

  /** How many times a refused token was renewed and a request sent again (diagnostics). */
  renewals = 0;

  async close(): Promise<void> {
    this.stopWatchdog();
    this.scheduler.close(
      new AppError('network', 'The tenant\u2019s profile changed or was removed while this request waited.', {
        retryable: true,
      }),
    );
    await this.agent.close();
  }
}
