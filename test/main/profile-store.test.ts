// Profile and audit files: atomic, versioned, and never silently lost.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileStore } from '../../main/tenants/profile-store.js';
import { AuditLog } from '../../main/audit/audit-log.js';
import { writeFileAtomic } from '../../main/fs/atomic.js';

const profile = {
  label: 'Prod',
  domain: 'acme.eu.auth0.com',
  clientId: 'abc',
  authMethod: 'client_secret' as const,
  environment: 'production' as const,
  color: '#cc0000',
  audience: null,
  caCert: null,
  secretStorage: 'keychain' as const,
  localTenant: false,
};

describe('ProfileStore', () => {
  it('writes a versioned file atomically and leaves no temp files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-profiles-'));
    const store = new ProfileStore(dir);
    const a = store.add(profile);
    store.update(a.id, { label: 'Production EU' });
    expect(JSON.parse(readFileSync(join(dir, 'tenants.json'), 'utf8'))).toMatchObject({
      version: 1,
      tenants: [{ id: a.id, label: 'Production EU' }],
    });
    expect(readdirSync(dir)).toEqual(['tenants.json']);
    expect(new ProfileStore(dir).list()).toHaveLength(1);
  });

  it('leaves the target untouched and no temp file behind when the final rename fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-profiles-'));
    const file = join(dir, 'tenants.json');
    writeFileAtomic(file, '{"version":1,"tenants":[]}');
    // A non-empty directory at the target makes the rename fail after the temp file was fully written.
    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'inside'), { recursive: true });
    expect(() => writeFileAtomic(blocked, 'new content')).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['blocked', 'tenants.json']);
    expect(readdirSync(blocked)).toEqual(['inside']);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"tenants":[]}');
  });

  it('sets a damaged file aside with a clear error instead of dropping profiles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-profiles-'));
    writeFileSync(join(dir, 'tenants.json'), '{"version":1,"tenants":[{"id":');
    expect(() => new ProfileStore(dir).list()).toThrow(/kept aside/);
    const aside = readdirSync(dir).find((f) => f.startsWith('tenants.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(readFileSync(join(dir, aside!), 'utf8')).toBe('{"version":1,"tenants":[{"id":');
    expect(existsSync(join(dir, 'tenants.json'))).toBe(false);
  });

  it('refuses a file from a newer version rather than rewriting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-profiles-'));
    writeFileSync(join(dir, 'tenants.json'), '{"version":2,"tenants":[]}');
    expect(() => new ProfileStore(dir).list()).toThrow(/newer Tenant Desk/);
  });
});

describe('AuditLog', () => {
  it('appends entries, lists newest first with filters, and survives a torn last line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-audit-'));
    const log = new AuditLog(dir, 'alice', undefined, () => ['s3cr3t-value']);
    log.record({
      tenantId: 't1',
      tenantDomain: 'a',
      action: 'user.block',
      target: 'auth0|1',
      outcome: 'success',
    });
    log.record({
      tenantId: 't2',
      tenantDomain: 'b',
      action: 'user.delete',
      target: 'auth0|2',
      outcome: 'failure',
      error: 'leaked s3cr3t-value here',
    });
    await log.flush();
    appendFileSync(join(dir, 'audit.jsonl'), '{"time":"2026-');
    const all = await log.list({ limit: 10 });
    expect(all.map((e) => e.action)).toEqual(['user.delete', 'user.block']);
    expect(all[0]).toMatchObject({ osUser: 'alice', outcome: 'failure' });
    expect(all[0]!.error).not.toContain('s3cr3t-value');
    expect((await log.list({ tenantId: 't1', limit: 10 })).map((e) => e.target)).toEqual(['auth0|1']);
  });
});
