// The diagnostics log: JSON lines a developer can follow, rotated at its size limit, never holding a secret.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticsLog } from '../../main/diagnostics/diagnostics-log.js';

describe('diagnostics log', () => {
  it('scrubs known secrets, tokens, private keys and secret-named fields from every line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-log-'));
    const log = new DiagnosticsLog(dir, () => ['s3cr3t-client-value']);
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4eHh4eCJ9.c2lnbmF0dXJlLXZhbHVl';
    log.write('error', 'request failed', {
      detail: `Bearer ${jwt} refused; body had s3cr3t-client-value`,
      nested: {
        client_secret: 'anything',
        note: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
      },
    });
    const text = readFileSync(log.file, 'utf8');
    expect(text).not.toContain('s3cr3t-client-value');
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('BEGIN PRIVATE KEY');
    expect(text).not.toContain('anything');
    const line = JSON.parse(text.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'error', event: 'request failed' });
  });

  it('rotates at its size limit, keeping the newest files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-log-'));
    const log = new DiagnosticsLog(dir, () => [], 2_000, 2);
    for (let i = 0; i < 200; i++) log.write('info', 'tick', { i, pad: 'x'.repeat(50) });
    const files = readdirSync(join(dir, 'logs')).sort();
    expect(files).toEqual(['tenant-desk.log', 'tenant-desk.log.1', 'tenant-desk.log.2']);
    for (const f of files) expect(readFileSync(join(dir, 'logs', f)).length).toBeLessThanOrEqual(2_000);
    // The newest line is in the current file, and the oldest lines are gone.
    expect(readFileSync(log.file, 'utf8')).toContain('"i":199');
    expect(existsSync(join(dir, 'logs', 'tenant-desk.log.3'))).toBe(false);
    expect(
      readdirSync(join(dir, 'logs'))
        .map((f) => readFileSync(join(dir, 'logs', f), 'utf8'))
        .join(''),
    ).not.toContain('"i":0,');
  });
});
