// Work across tenants through the router against local tenants: one query asked of three tenants while one of them
// is down (its answer a failure in words, the others' results whole), and two tenants' users compared by email over
// chosen fields — only in A, only in B, in both but different — paged and exported.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CompareItem,
  CompareSummary,
  CrossSearchResult,
  DownloadRef,
  TenantProfile,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { routerCall, routerFailure } from '../support/router.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let a: TestTenant;
let b: TestTenant;
let down: TestTenant;
let app: App;
const profiles: TenantProfile[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'td-cross-'));

const call = <T>(channel: string, payload: unknown) => routerCall<T>(app, channel, payload);
const failure = (channel: string, payload: unknown) => routerFailure(app, channel, payload);

beforeAll(async () => {
  [a, b, down] = await Promise.all([
    startTestTenant({ users: 80, seed: 'cross-a' }),
    startTestTenant({ users: 50, seed: 'cross-b' }),
    startTestTenant({ users: 20, seed: 'cross-down' }),
  ]);
  app = await createApp({ dataDir, host: 'browser', version: 'test', vault: new SessionVault() });
  for (const [x, label] of [
    [a, 'Europe'],
    [b, 'America'],
    [down, 'Asia'],
  ] as const) {
    profiles.push(await call<TenantProfile>('tenants:add', x.sessionProfile(label, 'production', '#37474f')));
  }
});
afterAll(async () => {
  await app?.close();
  await Promise.all([a?.close(), b?.close()]);
});

describe('across tenants', () => {
  it('searches three tenants with one query, one of them down, without hiding the others', async () => {
    // Asked once while up (its token is cached), then the tenant goes away.
    await call('users:search', { tenantId: profiles[2]!.id, perPage: 1 });
    await down.close();
    const q = 'email_verified:true';
    const { results } = await call<{ results: CrossSearchResult[] }>('cross:search', {
      tenantIds: profiles.map((p) => p.id),
      q,
      perTenant: 100,
    });
    expect(results.map((r) => r.tenantId)).toEqual(profiles.map((p) => p.id));
    for (const [i, x] of [a, b].entries()) {
      const r = results[i]!;
      if (!r.ok) throw new Error(`tenant ${i} failed: ${r.error.message}`);
      const expected = [...x.emu.store.users.values()].filter((u) => u.email_verified === true);
      expect(r.total).toBe(expected.length);
      expect(r.users.every((u) => u.email_verified === true)).toBe(true);
      expect(new Set(r.users.map((u) => u.user_id))).toEqual(new Set(expected.map((u) => u.user_id)));
    }
    const failed = results[2]!;
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(failed.error.code).toBe('network');
      expect(failed.error.message.length).toBeGreaterThan(10);
    }
  }, 60_000);

  it('refuses a malformed query before asking any tenant', async () => {
    const e = await failure('cross:search', { tenantIds: [profiles[0]!.id, profiles[1]!.id], q: 'email:(' });
    expect(e.code).toBe('invalid_query');
    const twice = await failure('cross:search', { tenantIds: [profiles[0]!.id, profiles[0]!.id] });
    expect(JSON.stringify(twice.details)).toContain('A tenant is chosen twice.');
  });

  it('compares two tenants by email over chosen fields, and exports the comparison', async () => {
    // B's users that happen to share an email with A's (seeded names repeat) go, then three of A's database users
    // (with an email only they have in A) are made in B: two alike, one with another name.
    const emailsOf = (x: TestTenant) =>
      [...x.emu.store.users.values()].filter((u) => u.email).map((u) => u.email!.toLowerCase());
    const countIn = (list: string[]) =>
      list.reduce((m, e) => m.set(e, (m.get(e) ?? 0) + 1), new Map<string, number>());
    const aCounts = countIn(emailsOf(a));
    for (const u of [...b.emu.store.users.values()])
      if (u.email && aCounts.has(u.email.toLowerCase())) await b.client().users.delete(u.user_id);
    const shared = [...a.emu.store.users.values()]
      .filter(
        (u) => u.identities[0]?.provider === 'auth0' && u.email && aCounts.get(u.email.toLowerCase()) === 1,
      )
      .slice(0, 3);
    const connection = b.emu.store.connections.find((c) => c.strategy === 'auth0')!.name;
    for (const [i, u] of shared.entries())
      await b.client().users.create({
        connection,
        email: u.email!.toUpperCase(),
        password: 'Correct-Horse-9!',
        email_verified: u.email_verified ?? false,
        name: i === 2 ? 'Someone Else' : u.name!,
      });
    const inA = emailsOf(a);
    const inB = emailsOf(b);
    const bCounts = countIn(inB);
    expect(inA.filter((e) => bCounts.has(e))).toHaveLength(3);
    const duplicates = (counts: Map<string, number>) => [...counts.values()].reduce((n, c) => n + c - 1, 0);

    const summary = await call<CompareSummary>('cross:compare', {
      runId: 'cross-run-1',
      tenantA: profiles[0]!.id,
      tenantB: profiles[1]!.id,
      fields: ['name', 'email_verified'],
    });
    expect(summary).toMatchObject({
      key: 'email',
      compared: ['name', 'email_verified'],
      removed: inA.length - 3,
      added: inB.length - 3,
      changed: 1,
      unchanged: 2,
      sameTenant: false,
      duplicateKeys: duplicates(aCounts) + duplicates(bCounts),
      withoutKey: a.emu.store.users.size - inA.length + (b.emu.store.users.size - inB.length),
    });
    expect(summary.before.tenantLabel).toBe('Europe');
    expect(summary.fields).toEqual([{ field: 'name', count: 1 }]);

    const changed = await call<{ items: CompareItem[]; total: number }>('snapshots:compare-items', {
      compareId: summary.compareId,
      kind: 'changed',
    });
    const item = changed.items[0]!;
    expect(item).toMatchObject({
      key: shared[2]!.email!.toLowerCase(),
      otherUserId: shared[2]!.user_id,
      fields: ['name'],
      before: { name: shared[2]!.name },
      after: { name: 'Someone Else' },
    });
    expect(item.userId).not.toBe(shared[2]!.user_id);

    const file = await call<DownloadRef>('snapshots:compare-export', { compareId: summary.compareId });
    expect(file.filename).toMatch(/^Europe-vs-America-by-email-/);
    const rows = parse(readFileSync(app.downloads.get(file.id).path, 'utf8'), {
      columns: true,
      bom: true,
    }) as Record<string, string>[];
    expect(rows).toHaveLength(inA.length - 3 + inB.length - 3 + 1);
    expect(rows.filter((r) => r.comparison === 'only in Europe')).toHaveLength(inA.length - 3);
    expect(rows.filter((r) => r.comparison === 'only in America')).toHaveLength(inB.length - 3);
    const diff = rows.find((r) => r.comparison === 'different')!;
    expect(diff).toMatchObject({
      email: shared[2]!.email!.toLowerCase(),
      'user_id in Europe': shared[2]!.user_id,
    });
  }, 120_000);

  it('refuses to compare a tenant with itself', async () => {
    const e = await failure('cross:compare', {
      runId: 'cross-run-2',
      tenantA: profiles[0]!.id,
      tenantB: profiles[0]!.id,
      fields: ['name'],
    });
    expect(JSON.stringify(e.details)).toContain('Choose two different tenants.');
  });
});
