// The CLI contract other tools depend on: first stdout line is one JSON object; SIGTERM exits cleanly and saves --data.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { Agent, fetch } from 'undici';

function startCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const firstLine = new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, exited };
}

describe('emulator CLI', () => {
  it('prints the connection JSON first, serves it, and exits cleanly on SIGTERM saving --data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
    const dataFile = join(dir, 'tenant.json');
    const { child, firstLine, exited } = startCli([
      '--port',
      '0',
      '--users',
      '25',
      '--seed',
      'cli',
      '--rate-limit',
      '50:20',
      '--data',
      dataFile,
    ]);
    const info = JSON.parse(await firstLine) as {
      domain: string;
      clientId: string;
      clientSecret: string;
      audience: string;
      caCertFile: string;
      clients: { name: string; clientId: string; clientSecret?: string; scopes: string[] }[];
    };
    expect(info.domain).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(info.audience).toBe(`https://${info.domain}/api/v2/`);
    expect(info.caCertFile.startsWith('/')).toBe(true);
    expect(info.clients.map((c) => c.name)).toEqual(expect.arrayContaining(['admin', 'support-desk']));
    expect(info.clients.find((c) => c.name === 'admin')).toMatchObject({
      clientId: info.clientId,
      clientSecret: info.clientSecret,
    });

    const agent = new Agent({ connect: { ca: readFileSync(info.caCertFile, 'utf8') } });
    const tokenRes = await fetch(`https://${info.domain}/oauth/token`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: info.clientId,
        client_secret: info.clientSecret,
        audience: info.audience,
      }),
    });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const users = await fetch(`https://${info.domain}/api/v2/users?per_page=100`, {
      dispatcher: agent,
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(users.headers.get('x-ratelimit-limit')).toBe('20');
    expect(((await users.json()) as unknown[]).length).toBe(25);
    await agent.close();

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(dataFile)).toBe(true);
    const saved = JSON.parse(readFileSync(dataFile, 'utf8')) as {
      users: unknown[];
      clients: { client_id: string }[];
    };
    expect(saved.users).toHaveLength(25);

    // Restarted on the same data, it keeps the users and the clients' credentials.
    const again = startCli(['--port', '0', '--data', dataFile]);
    const info2 = JSON.parse(await again.firstLine) as { clientId: string };
    expect(info2.clientId).toBe(info.clientId);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  });

  it('rejects a bad option with a clear message and exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', '--rate-limit', 'fast'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--rate-limit expects RPS[:BURST]');
  });
});
