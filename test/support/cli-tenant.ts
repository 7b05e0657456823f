// A local tenant started as users start it (the CLI, in its own process), with a fetch that trusts its CA and an
// admin token: for crash tests and benchmarks, where the tenant must not share the caller's thread.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Agent } from 'undici';

export interface CliTenant {
  child: ChildProcess;
  domain: string;
  caCert: string;
  clients: { name: string; clientId: string; clientSecret?: string; scopes: string[] }[];
  admin: { clientId: string; clientSecret: string };
  /** fetch against the tenant (a path like /api/v2/users), trusting its CA. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** An admin token, fetched once. */
  token(): Promise<string>;
  /** A Management API call with the admin token. */
  api(path: string, method?: string, body?: unknown): Promise<Response>;
  /** SIGTERM (saves) or SIGKILL (a crash); resolves when it has exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export async function startCliTenant(args: string[]): Promise<CliTenant> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`local tenant exited with ${code}: ${stderr}`)));
  });
  const info = JSON.parse(line) as {
    domain: string;
    clientId: string;
    clientSecret: string;
    caCertFile: string;
    clients: CliTenant['clients'];
  };
  const caCert = readFileSync(info.caCertFile, 'utf8');
  const agent = new Agent({ connect: { ca: caCert } });
  const doFetch = (path: string, init: RequestInit = {}) =>
    fetch(`https://${info.domain}${path}`, { ...init, dispatcher: agent } as unknown as RequestInit);
  let token: Promise<string> | null = null;
  const getToken = () =>
    (token ??= doFetch('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: info.clientId,
        client_secret: info.clientSecret,
        audience: `https://${info.domain}/api/v2/`,
      }),
    })
      .then((r) => r.json() as Promise<{ access_token: string }>)
      .then((b) => b.access_token));
  return {
    child,
    domain: info.domain,
    caCert,
    clients: info.clients,
    admin: { clientId: info.clientId, clientSecret: info.clientSecret },
    fetch: doFetch,
    token: getToken,
    async api(path, method = 'GET', body) {
      return doFetch(`/api/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${await getToken()}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      await agent.close();
    },
  };
}
