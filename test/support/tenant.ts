// Test support: a started local tenant and an unmodified auth0 ManagementClient that trusts its CA.
import { ManagementClient, ManagementError } from 'auth0';
import { Agent } from 'undici';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.js';

export interface TestTenant {
  emu: RunningEmulator;
  /** fetch that trusts the local tenant's CA (for raw HTTP-level tests). */
  fetch: typeof fetch;
  /** A ManagementClient for the named client ('admin' by default). */
  client(name?: string): ManagementClient;
  /** A token for the named client, fetched over HTTP like any caller would. */
  token(name?: string): Promise<string>;
  /** A `tenants:add` request for this tenant's admin client, its secret kept for the session (no keychain). */
  sessionProfile(label: string, environment: string, color: string): Record<string, unknown>;
  close(): Promise<void>;
}

export async function startTestTenant(options: EmulatorOptions = {}): Promise<TestTenant> {
  const emu = await startEmulator({ port: 0, users: 50, seed: 'test', ...options });
  const agent = new Agent({ connect: { ca: emu.caCert } });
  // The runtime's own fetch (so the SDK's FormData and Blob bodies are understood) over an Agent trusting the CA.
  const trustedFetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) =>
    fetch(input, { ...init, dispatcher: agent } as unknown as RequestInit)) as typeof fetch;
  const byName = (name: string) => {
    const c = emu.clients.find((x) => x.name === name);
    if (!c) throw new Error(`no client ${name}`);
    return c;
  };
  return {
    emu,
    fetch: trustedFetch,
    client(name = 'admin') {
      const c = byName(name);
      return new ManagementClient({
        domain: emu.domain,
        clientId: c.clientId,
        clientSecret: c.clientSecret ?? '',
        fetch: trustedFetch,
        maxRetries: 0,
      });
    },
    async token(name = 'admin') {
      const c = byName(name);
      const res = await trustedFetch(`${emu.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: c.clientId,
          client_secret: c.clientSecret ?? '',
          audience: emu.audience,
        }),
      });
      const body = (await res.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`token request failed: ${res.status}`);
      return body.access_token;
    },
    sessionProfile(label, environment, color) {
      const admin = byName('admin');
      return {
        label,
        domain: emu.domain,
        clientId: admin.clientId,
        environment,
        color,
        caCert: emu.caCert,
        secret: admin.clientSecret,
        secretStorage: 'session',
      };
    },
    async close() {
      await emu.close();
      await agent.close();
    },
  };
}

/** Awaits a call that must fail with the SDK's ManagementError, and returns that error. */
export async function sdkFailure(p: Promise<unknown>): Promise<ManagementError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ManagementError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}
