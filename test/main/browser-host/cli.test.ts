// `npm run serve` as a user runs it: the first stdout line is the URL with a long per-launch token, the socket
// behind it reaches the real app for the given data dir, and SIGTERM stops it cleanly.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';

describe('browser host CLI', () => {
  it('prints its URL first, serves the app for --data-dir over the socket, and stops on SIGTERM', async () => {
    const staticDir = mkdtempSync(join(tmpdir(), 'td-cli-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tenant Desk</title>');
    const dataDir = join(mkdtempSync(join(tmpdir(), 'td-cli-data-')), 'nested');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'main/browser-host/cli.ts',
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--static-dir',
        staticDir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const firstLine = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once('line', resolve),
    );
    const url = new URL(firstLine);
    expect(url.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // 32 random bytes, base64url: 256 bits.
    expect(url.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const ws = new WebSocket(`ws://${url.host}/rpc?token=${url.searchParams.get('token')}`, {
      headers: { origin: url.origin },
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answer = await new Promise<unknown>((resolve) => {
      ws.once('message', (d) => resolve(JSON.parse(String(d))));
      ws.send(JSON.stringify({ id: 'a', channel: 'app:info', payload: {} }));
    });
    expect(answer).toMatchObject({ id: 'a', result: { ok: true, data: { host: 'browser', dataDir } } });
    ws.close();

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a port that is not a number', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'main/browser-host/cli.ts', '--port', 'eighty'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(2);
    expect(stderr).toContain('--port expects 0-65535');
  });
});
