// Insights counted right against a hand-made tenant of six users, both ways: over a snapshot of it (its store, the
// tenant not asked) and over the live tenant (Auth0's search totals); every bar's query finds exactly the users it
// counts; the snapshot store's facet of a field gives each key's number of users. Bad input changes nothing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Auth0User,
  ExportStatus,
  InsightChart,
  InsightChartId,
  TaskSummary,
  TenantProfile,
} from '../../../preload/contract.js';
import { createApp, type App } from '../../../main/app.js';
import { SnapshotReader } from '../../../main/snapshots/snapshot-file.js';
import { SessionVault } from '../../../main/vault/index.js';
import type { User } from '../../../emulator/model.js';
import { startTestTenant, type TestTenant } from '../../support/tenant.js';

const DAY = 86_400_000;
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
/** The 15th of the month `back` months before this one (a creation date far from a month's edges). */
const monthsBack = (back: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 15, 12)).toISOString();

const UPA = 'Username-Password-Authentication';
let t: TestTenant;
let app: App;
let tenant: TenantProfile;
let snapshotId: string;
let roleNames: string[];
let dataDir: string;
let stopped = false;

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const r = await app.router.invoke(channel, payload);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

function user(
  id: string,
  connection: string,
  u: Partial<User> & { created_at: string },
  roles: number[] = [],
): { user: User; roles: number[] } {
  return {
    user: {
      user_id: `${connection === UPA ? 'auth0' : 'google-oauth2'}|${id}`,
      email: `${id}@insights.example`,
      name: id,
      updated_at: u.created_at,
      identities: [
        {
          connection,
          user_id: id,
          provider: connection === UPA ? 'auth0' : connection,
          isSocial: connection !== UPA,
        },
      ],
      ...u,
    },
    roles,
  };
}

// connection, verified, blocked, last login, logins, created, roles — one user per last-login age and logins range.
const people = [
  user(
    'ada',
    UPA,
    { email_verified: true, last_login: ago(3), logins_count: 1, created_at: monthsBack(0) },
    [0],
  ),
  user(
    'bob',
    UPA,
    { email_verified: false, blocked: true, last_login: ago(20), logins_count: 3, created_at: monthsBack(1) },
    [0, 1],
  ),
  user('cyd', 'google-oauth2', {
    email_verified: true,
    last_login: ago(60),
    logins_count: 10,
    created_at: monthsBack(1),
  }),
  user(
    'dee',
    'google-oauth2',
    {
      email_verified: true,
      blocked: false,
      last_login: ago(200),
      logins_count: 50,
      created_at: monthsBack(3),
    },
    [1],
  ),
  user('eve', UPA, { email: undefined, last_login: ago(500), logins_count: 500, created_at: monthsBack(11) }),
  user('fay', UPA, { email_verified: false, created_at: monthsBack(13) }),
];

const expected: Record<Exclude<InsightChartId, 'roles'>, [string, number][]> = {
  connections: [
    [UPA, 4],
    ['google-oauth2', 2],
  ],
  verified: [
    ['Verified', 3],
    ['Not verified', 2],
    ['No email', 1],
  ],
  blocked: [
    ['Blocked', 1],
    ['Not blocked', 5],
  ],
  'last-login': [
    ['Last 7 days', 1],
    ['8–30 days', 1],
    ['31–90 days', 1],
    ['91–365 days', 1],
    ['Over a year', 1],
    ['Never', 1],
  ],
  // Oldest month first: eleven months back (eve), three (dee), one (bob, cyd), this one (ada); fay is older.
  signups: [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 1].map((n, i) => [
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11 + i, 1)).toLocaleDateString('en', {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }),
    n,
  ]),
  logins: [
    ['None', 1],
    ['1', 1],
    ['2–5', 1],
    ['6–20', 1],
    ['21–100', 1],
    ['Over 100', 1],
  ],
};
const pairs = (c: InsightChart) => c.bars.map((b) => [b.label, b.count]);

beforeAll(async () => {
  t = await startTestTenant({ users: 0, seed: 'insights' });
  const store = t.emu.store;
  if (!store.connectionByName('google-oauth2'))
    store.putConnection({
      ...store.connections[0]!,
      id: 'con_google0000000001',
      name: 'google-oauth2',
      strategy: 'google-oauth2',
    });
  const roles = [...store.roles.values()];
  roleNames = roles.map((r) => r.name);
  for (const p of people) {
    store.putUser(p.user);
    for (const r of p.roles) store.roleUsers.get(roles[r]!.id)!.add(p.user.user_id);
  }
  app = await createApp({
    dataDir: (dataDir = mkdtempSync(join(tmpdir(), 'td-insights-'))),
    host: 'browser',
    version: 'test',
    vault: new SessionVault(),
    resumeLocalTenant: false,
  });
  tenant = await call<TenantProfile>('tenants:add', t.sessionProfile('Insights', 'staging', '#123456'));
  const exportId = 'insights-snap-0001';
  await call('exports:start', {
    tenantId: tenant.id,
    exportId,
    source: { kind: 'tenant' },
    format: 'ndjson',
    fields: [{ name: 'user_id' }],
    keepSnapshot: true,
    includeRoles: true,
  });
  for (;;) {
    const s = await call<TaskSummary>('tasks:get', { taskId: exportId });
    if (s.status !== 'running') {
      snapshotId = (s.detail as { export: ExportStatus }).export.snapshot!.id;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}, 60_000);
afterAll(async () => {
  await app?.close();
  if (!stopped) await t?.close();
});

describe('insights over the live tenant', () => {
  it('counts every chart with Auth0 search totals, one request per bar', async () => {
    for (const [id, bars] of Object.entries(expected)) {
      const chart = await call<InsightChart>('insights:live-chart', { tenantId: tenant.id, chart: id });
      const others = id === 'connections' ? t.emu.store.connections.length - 2 : 0;
      expect(pairs(chart).slice(0, bars.length), id).toEqual(bars);
      expect(chart.bars.slice(bars.length).every((b) => b.count === 0)).toBe(true);
      expect(chart.bars).toHaveLength(bars.length + others);
      // The connections are listed first: one request more.
      expect(chart.requests).toBe(chart.bars.length + (id === 'connections' ? 1 : 0));
      const found = await t.client().users.list({ q: chart.bars[0]!.q!, search_engine: 'v3', per_page: 100 });
      expect(found.data).toHaveLength(chart.bars[0]!.count);
    }
    // Roles: each role's member total (Auth0's search has no roles field: a bar opens the role instead).
    const roles = await call<InsightChart>('insights:live-chart', { tenantId: tenant.id, chart: 'roles' });
    expect(pairs(roles)).toEqual(
      [
        [roleNames[0], 2],
        [roleNames[1], 2],
        [roleNames[2], 0],
      ].sort((a, b) => Number(b[1]) - Number(a[1]) || String(a[0]).localeCompare(String(b[0]))),
    );
    expect(roles.bars.every((b) => b.q === null && b.roleId)).toBe(true);
    expect(roles.requests).toBe(1 + roleNames.length);
  });
});

describe('insights over a snapshot', () => {
  it('counts every chart from the store, and each bar’s query finds exactly its users, with the tenant stopped', async () => {
    await t.close();
    stopped = true;
    for (const [id, bars] of Object.entries(expected)) {
      const chart = await call<InsightChart>('insights:snapshot-chart', { snapshotId, chart: id });
      expect(pairs(chart), id).toEqual(bars);
      expect(chart.requests).toBe(0);
      for (const bar of chart.bars) {
        const found = await call<{ total: number; users: Auth0User[] }>('snapshots:search', {
          snapshotId,
          q: bar.q,
          perPage: 100,
        });
        expect(found.total, `${id} ${bar.label}: ${bar.q}`).toBe(bar.count);
      }
    }
    const roles = await call<InsightChart>('insights:snapshot-chart', { snapshotId, chart: 'roles' });
    expect(pairs(roles)).toEqual(
      [
        [roleNames[0], 2],
        [roleNames[1], 2],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const admins = await call<{ users: Auth0User[] }>('snapshots:search', {
      snapshotId,
      q: roles.bars.find((b) => b.label === roleNames[0])!.q,
    });
    expect(admins.users.map((u) => u.name).sort()).toEqual(['ada', 'bob']);
  });

  it('gives each key of a field with how many users hold it, the most held first', async () => {
    const reader = await SnapshotReader.open(join(dataDir, 'snapshots', `${snapshotId}.duckdb`));
    try {
      expect(await reader.facet('identities.connection', 10)).toEqual([
        { key: UPA, count: 4 },
        { key: 'google-oauth2', count: 2 },
      ]);
      expect(await reader.facet('email_verified', 1)).toEqual([{ key: 'true', count: 3 }]);
      expect(await reader.facet('no_such_field', 10)).toEqual([]);
    } finally {
      await reader.close();
    }
  });

  it('refuses a snapshot that does not exist, or a chart it does not know, in words', async () => {
    const gone = await app.router.invoke('insights:snapshot-chart', {
      snapshotId: 'snap_0000000000000000',
      chart: 'verified',
    });
    expect(gone).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const bad = await app.router.invoke('insights:snapshot-chart', { snapshotId, chart: 'favourite-colour' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
    if (!bad.ok) expect(bad.error.message).toMatch(/^chart: /);
  });
});
