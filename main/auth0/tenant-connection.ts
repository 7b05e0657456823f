// Everything that talks to one tenant: an HTTPS agent trusting its CA, its scheduler, its token provider and one
// auth0 ManagementClient whose every request goes through the scheduler.
import { ManagementClient } from 'auth0';
import { Agent } from 'undici';
import type { StoredProfile } from '../tenants/profile-store.js';
import { RateScheduler, type SchedulerOptions } from '../scheduler/rate-scheduler.js';
import { TokenProvider } from './token-provider.js';

export interface ConnectionOptions {
  secret: () => Promise<string | null>;
  scheduler?: SchedulerOptions;
  now?: () => number;
  timeoutMs?: number;
  /** Wraps the raw HTTPS transport under the scheduler (fault injection in tests, proxies). */
  wrapTransport?: (transport: typeof fetch) => typeof fetch;
}

export class TenantConnection {
  readonly agent: Agent;
  readonly scheduler: RateScheduler;
  readonly tokens: TokenProvider;
  readonly management: ManagementClient;
  readonly audience: string;

  constructor(
    readonly profile: StoredProfile,
    options: ConnectionOptions,
  ) {
    const timeout = options.timeoutMs ?? 30_000;
    this.agent = new Agent({
      connect: { ...(profile.caCert ? { ca: profile.caCert } : {}), timeout: Math.min(timeout, 15_000) },
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    // The runtime's fetch (it understands the SDK's FormData bodies) over our agent.
    const transport = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      fetch(input, { ...init, dispatcher: this.agent } as unknown as RequestInit)) as typeof fetch;
    this.scheduler = new RateScheduler(
      options.wrapTransport ? options.wrapTransport(transport) : transport,
      options.scheduler,
    );
    this.audience = profile.audience ?? `https://${profile.domain}/api/v2/`;
    this.tokens = new TokenProvider({
      domain: profile.domain,
      clientId: profile.clientId,
      audience: this.audience,
      authMethod: profile.authMethod,
      secret: options.secret,
      fetch: transport,
      ...(options.now ? { now: options.now } : {}),
    });
    this.management = new ManagementClient({
      domain: profile.domain,
      audience: this.audience,
      token: async () => (await this.tokens.get()).token,
      fetch: this.scheduler.fetch,
      maxRetries: 0,
      timeoutInSeconds: Math.ceil(timeout / 1000),
      telemetry: false,
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
