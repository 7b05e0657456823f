// The local tenant as a library: `startEmulator(options)` serves the Auth0 Management API over HTTPS on loopback.
import { resolve } from 'node:path';
import { createClients, upgradeFullAccessScopes } from './clients.js';
import { bindContext, type ScopeRule, type TenantContext } from './context.js';
import type { OutboxEmail } from './model.js';
import { TenantJournal } from './journal.js';
import { TokenBucket, type RateLimitOptions } from './ratelimit.js';
import { registerRoutes } from './routes/index.js';
import { seedTenant } from './seed.js';
import { createServer } from './server.js';
import { TenantStore, type Snapshot } from './store.js';
import { defaultCertDir, loadOrCreateTls } from './tls.js';
import { TokenSigner } from './tokens.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Seeded users when no data file exists (default 0: a fresh tenant). */
  users?: number;
  seed?: string | number;
  /** Enforced token bucket; omitted: headers are sent but nothing is refused. */
  rateLimit?: RateLimitOptions | null;
  latencyMs?: number;
  /** Probability (0..1) of a random 500/503 before anything is applied. */
  failRate?: number;
  /**
   * Where the tenant's data lives: a JSON snapshot, loaded at start when it exists, plus a journal beside it that
   * every write is flushed to before its response is sent (so a crash loses no acknowledged write).
   */
  dataFile?: string;
  /** Where the generated CA and server certificate are cached (default: OS temp dir). */
  certDir?: string;
  /** false: the data file never holds client secrets; new clients are made at each start (the console's sandbox). */
  persistClients?: boolean;
}

export interface EmulatorClient {
  name: string;
  clientId: string;
  clientSecret?: string;
  /** For the private_key_jwt client: the PEM key a tool signs its client assertion with. */
  privateKey?: string;
  scopes: string[];
}

export interface RunningEmulator {
  domain: string;
  url: string;
  audience: string;
  caCert: string;
  caCertFile: string;
  clientId: string;
  clientSecret: string;
  clients: EmulatorClient[];
  outbox(): OutboxEmail[];
  /** Direct access for tests and the bench (the running tenant's in-memory state). */
  store: TenantStore;
  /** Each Management API route's scope rule, by "METHOD /path". */
  scopeRules: ReadonlyMap<string, ScopeRule>;
  /**
   * New signing keys, as when a tenant rotates them (or restarts without its data): every access token issued so far
   * is refused with Auth0's "Invalid signature" 401 (a test extension; also POST /__emulator/rotate-keys).
   */
  rotateSigningKey(): Promise<void>;
  save(): void;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const store = new TenantStore();
  const dataFile = options.dataFile ? resolve(options.dataFile) : undefined;
  const snapshotOf = (): Snapshot => {
    const snapshot = store.snapshot();
    if (options.persistClients === false) snapshot.clients = [];
    return snapshot;
  };
  const journal = dataFile ? new TenantJournal(dataFile, store, snapshotOf) : null;
  if (journal?.load()) {
    if (store.clients.length === 0) store.clients = createClients();
    else upgradeFullAccessScopes(store.clients);
  } else {
    store.clients = createClients();
    store.untracked(() =>
      seedTenant(store, { users: options.users ?? 0, seed: String(options.seed ?? 'tenant-desk') }),
    );
  }
  journal?.start();
  const tls = loadOrCreateTls(options.certDir ?? defaultCertDir(), [host]);
  const ctx: TenantContext = {
    store,
    signer: await TokenSigner.create(),
    domain: '',
    url: '',
    audience: '',
    issuer: '',
    scopeRules: new Map(),
  };
  const bucket = options.rateLimit
    ? new TokenBucket(options.rateLimit, true)
    : new TokenBucket({ rps: 1000, burst: 1000 }, false);
  const app = createServer(ctx, {
    tls,
    bucket,
    latencyMs: options.latencyMs ?? 0,
    failRate: options.failRate ?? 0,
    random: Math.random,
  });
  // A write's changes reach the disk before its response leaves: a crash loses nothing acknowledged.
  if (journal) app.addHook('onSend', async () => journal.flush());
  bindContext(app, ctx);
  registerRoutes(app, ctx);
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  ctx.domain = `${hostPart}:${port}`;
  ctx.url = `https://${ctx.domain}`;
  ctx.audience = `${ctx.url}/api/v2/`;
  ctx.issuer = `${ctx.url}/`;

  const clients: EmulatorClient[] = store.clients.map((c) => ({
    name: c.name,
    clientId: c.client_id,
    ...(c.client_secret ? { clientSecret: c.client_secret } : {}),
    ...(c.private_key ? { privateKey: c.private_key } : {}),
    scopes: [...c.scopes],
  }));
  const admin = store.clients.find((c) => c.name === 'admin') ?? store.clients[0]!;
  const save = () => journal?.compact();
  let closed = false;
  return {
    domain: ctx.domain,
    url: ctx.url,
    audience: ctx.audience,
    caCert: tls.caCert,
    caCertFile: tls.caCertFile,
    clientId: admin.client_id,
    clientSecret: admin.client_secret ?? '',
    clients,
    outbox: () => [...store.outbox],
    store,
    scopeRules: ctx.scopeRules,
    async rotateSigningKey() {
      ctx.signer = await TokenSigner.create();
    },
    save,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      journal?.close();
    },
  };
}

export { parseRateLimit } from './ratelimit.js';
export type { OutboxEmail } from './model.js';
