// Client-credentials tokens for one tenant, cached in memory and reused until shortly before they expire.
import { SignJWT, importPKCS8, decodeJwt } from 'jose';
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';

export interface TokenProviderOptions {
  domain: string;
  clientId: string;
  audience: string;
  authMethod: 'client_secret' | 'private_key_jwt';
  /** Reads the secret (or private key PEM) only when a token is needed; never cached here. */
  secret: () => Promise<string | null>;
  fetch: typeof fetch;
  now?: () => number;
  /** Refresh this long before expiry. */
  earlyMs?: number;
}

export interface AccessToken {
  token: string;
  expiresAt: number;
  scopes: string[];
}

export class TokenProvider {
  private cached: AccessToken | null = null;
  private pending: Promise<AccessToken> | null = null;
  /** Tokens issued this run, so any text leaving main can be scrubbed of them. */
  readonly issued = new Set<string>();
  requests = 0;

  constructor(private readonly options: TokenProviderOptions) {}

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  async get(): Promise<AccessToken> {
    const early = this.options.earlyMs ?? 60_000;
    if (this.cached && this.cached.expiresAt - early > this.now) return this.cached;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Drops the cached token — only if it is still `token` when one is named (another request may have renewed it). */
  invalidate(token?: string): void {
    if (token === undefined || this.cached?.token === token) this.cached = null;
  }

  private async fetchToken(): Promise<AccessToken> {
    const { domain, clientId, audience, authMethod } = this.options;
    const secret = await this.options.secret();
    if (!secret)
      throw new AppError(
        'no_secret',
        'This tenant has no stored secret. Set its client secret (or private key) first.',
      );
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, audience });
    if (authMethod === 'private_key_jwt') {
      let key;
      try {
        key = await importPKCS8(secret, 'RS256');
      } catch {
        throw new AppError('validation', 'The stored private key is not a PKCS#8 RSA key in PEM form.');
      }
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(`https://${domain}/`)
        .setIssuedAt()
        .setExpirationTime('2m')
        .setJti(randomUUID())
        .sign(key);
      body.set('client_assertion', assertion);
      body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    } else {
      body.set('client_secret', secret);
    }
    this.requests++;
    const res = await this.options.fetch(`https://${domain}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const json = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    };
    if (!res.ok || !json.access_token) {
      const why = json.error_description ?? json.error ?? `status ${res.status}`;
      throw new AppError('unauthorized', `The tenant refused the client credentials: ${why}`, {
        status: res.status,
        ...(json.error ? { auth0ErrorCode: json.error } : {}),
      });
    }
    this.issued.add(json.access_token);
    const claims = decodeJwt(json.access_token);
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    const expiresAt =
      typeof claims.exp === 'number' ? claims.exp * 1000 : this.now + (json.expires_in ?? 86_400) * 1000;
    this.cached = { token: json.access_token, expiresAt, scopes };
    return this.cached;
  }
}
