// The offline snapshot store means what the tenant means: for hundreds of generated queries over the same users, a
// snapshot (DuckDB) and the local tenant (asked over HTTPS, like Auth0) find the same users, refuse the same queries,
// and sort the same way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../../emulator/model.js';
import Database from 'better-sqlite3';
import {
  convertLegacySnapshot,
  INDEXED_SORTS,
  SnapshotReader,
  SnapshotWriter,
} from '../../../main/snapshots/snapshot-file.js';
import { startTestTenant, type TestTenant } from '../../support/tenant.js';

let t: TestTenant;
let dir: string;
let snap: SnapshotReader;
let inParts: SnapshotReader;
/** The same users in a snapshot that keeps each indexed sort's order (as one of millions of users does). */
let ordered: SnapshotReader;
let token: string;

/** A small deterministic PRNG, so a failing query can be reproduced from its seed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  t = await startTestTenant({ users: 3000, seed: 'differential' });
  // Users the seed never makes: odd metadata, numbers as strings, unicode, arrays, empty values.
  const extra: Partial<User>[] = [
    {
      email: 'Zoë.Ärger@Beispiel.example',
      name: 'Zoë Ärger-Straße',
      app_metadata: { tags: ['vip', 'beta'], score: 7 },
    },
    {
      email: 'o.brien@example.com',
      name: "Seán O'Brien",
      app_metadata: { score: '12', nested: { deep: { x: 'y' } } },
    },
    {
      email: 'star*name@example.com',
      name: 'Star * Name',
      user_metadata: { note: '' },
      app_metadata: { score: 100 },
    },
    { email: 'kanji@example.jp', name: '山田 太郎', nickname: 'やまだ', app_metadata: { plan: 'PRO' } },
    { email: 'UPPER@EXAMPLE.COM', name: 'UPPER CASE', app_metadata: { plan: 'pro', beta: false } },
  ];
  extra.forEach((e, i) =>
    t.emu.store.putUser({
      user_id: `auth0|extra${i}`,
      created_at: `2025-0${i + 1}-15T12:00:00.000Z`,
      updated_at: `2025-0${i + 1}-16T12:00:00.000Z`,
      identities: [
        {
          connection: 'Username-Password-Authentication',
          provider: 'auth0',
          user_id: `extra${i}`,
          isSocial: false,
        },
      ],
      logins_count: i * 3,
      ...e,
    } as User),
  );
  dir = mkdtempSync(join(tmpdir(), 'td-snap-'));
  const meta = (name: string) => ({
    id: name,
    tenantId: null,
    tenantLabel: 'test',
    tenantDomain: t.emu.domain,
    environment: null,
    createdAt: new Date().toISOString(),
    sourceLabel: 'every user',
    query: null,
    fields: [],
    origin: 'export' as const,
  });
  /** Every user of the tenant kept in a snapshot file. */
  const w = new SnapshotWriter(join(dir, 'a.duckdb'));
  for (const u of t.emu.store.users.values()) w.add(u as unknown as Record<string, unknown>);
  await w.finish(meta('a'));
  snap = await SnapshotReader.open(join(dir, 'a.duckdb'));
  process.env.TENANT_DESK_SNAPSHOT_ORDERS_FROM = '0';
  try {
    const o = new SnapshotWriter(join(dir, 'ordered.duckdb'));
    for (const u of t.emu.store.users.values()) o.add(u as unknown as Record<string, unknown>);
    await o.finish(meta('ordered'));
  } finally {
    delete process.env.TENANT_DESK_SNAPSHOT_ORDERS_FROM;
  }
  ordered = await SnapshotReader.open(join(dir, 'ordered.duckdb'));
  // The same users in a snapshot of the earlier format (SQLite, schema 2), converted as on its first open.
  const legacy = new Database(join(dir, 'old.sqlite'));
  legacy.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE users (doc INTEGER PRIMARY KEY, user_id TEXT NOT NULL, json TEXT NOT NULL)`);
  legacy
    .prepare('INSERT INTO meta VALUES (?, ?), (?, ?)')
    .run('schema', '2', 'snapshot', JSON.stringify({ ...meta('old'), count: t.emu.store.users.size }));
  const insert = legacy.prepare('INSERT INTO users VALUES (?, ?, ?)');
  [...t.emu.store.users.values()].forEach((u, i) => insert.run(i, u.user_id, JSON.stringify(u)));
  legacy.close();
  const converted = await convertLegacySnapshot(join(dir, 'old.sqlite'), join(dir, 'old.duckdb'));
  expect(converted.count).toBe(t.emu.store.users.size);
  inParts = await SnapshotReader.open(join(dir, 'old.duckdb'));
  token = await t.token();
}, 60_000);

afterAll(async () => {
  await snap?.close();
  await inParts?.close();
  await ordered?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The local tenant's answer over HTTPS: the total and, up to Auth0's 1,000, the ids (sorted by `sort` if given). */
async function tenant(
  q: string,
  sort?: string,
): Promise<{ total: number; ids: string[] } | { error: string }> {
  const ids: string[] = [];
  let total = 0;
  for (let page = 0; page < 10; page++) {
    const params = new URLSearchParams({
      q,
      search_engine: 'v3',
      include_totals: 'true',
      fields: 'user_id',
      per_page: '100',
      page: String(page),
      ...(sort ? { sort } : {}),
    });
    const res = await t.fetch(`${t.emu.url}/api/v2/users?${params}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { total: number; users: { user_id: string }[]; message?: string };
    if (res.status !== 200) return { error: body.message ?? String(res.status) };
    total = body.total;
    ids.push(...body.users.map((u) => u.user_id));
    if ((page + 1) * 100 >= Math.min(total, 1000)) break;
  }
  return { total, ids };
}

async function offline(
  q: string,
  sortOrReader?: string | SnapshotReader,
): Promise<{ total: number; ids: string[] } | { error: string }> {
  const sort = typeof sortOrReader === 'string' ? sortOrReader : undefined;
  const reader = typeof sortOrReader === 'object' ? sortOrReader : snap;
  try {
    const r = await reader.query(q, { offset: 0, limit: 1000, ...(sort ? { sort } : {}) });
    return { total: r.total, ids: r.users.map((u) => u.user_id as string) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function generator(seed: number) {
  const rand = prng(seed);
  const users = [...t.emu.store.users.values()];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const someUser = () => pick(users);
  const cased = (s: string) => (rand() < 0.3 ? s.toUpperCase() : rand() < 0.5 ? s.toLowerCase() : s);
  const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
  const bare = (s: string) => (/^[\w.@|+-]+$/.test(s) && !/^(AND|OR|NOT)$/.test(s) ? s : quote(s));
  // A month, a day, an hour or a whole timestamp: bounds that cut bucketed ranges at every level.
  const dateOf = () => (someUser().created_at ?? '2025-01-01').slice(0, pick([7, 10, 10, 13, 24]));
  const leaf = (): string => {
    const u = someUser();
    switch (Math.floor(rand() * 16)) {
      case 0:
        return `email:${bare(cased(u.email ?? 'x@example.com'))}`;
      case 1:
        return `name:${quote(cased(u.name ?? 'x'))}`;
      case 2:
        return `name:${bare(cased((u.name ?? 'x y').split(' ')[rand() < 0.5 ? 0 : 1] ?? 'x'))}`;
      case 3:
        return `identities.connection:${quote(u.identities[0]!.connection)}`;
      case 4:
        return `app_metadata.plan:${bare(String(u.app_metadata?.plan ?? 'free'))}`;
      case 5:
        return `email_verified:${rand() < 0.5}`;
      case 6:
        return `logins_count:${pick(['[', '{'])}${Math.floor(rand() * 100)} TO ${rand() < 0.2 ? '*' : Math.floor(50 + rand() * 150)}${pick([']', '}'])}`;
      case 7: {
        const [a, b] = [dateOf(), dateOf()].sort();
        return `created_at:${pick(['[', '{'])}${a} TO ${b}${pick([']', '}'])}`;
      }
      case 8: {
        const e = (u.email ?? 'someone@example.com').toLowerCase();
        return `email:${e.slice(0, 2 + Math.floor(rand() * 6))}*`;
      }
      case 9: {
        const e = u.email ?? 'someone@example.com';
        return `email:*@${e.split('@')[1]}`;
      }
      case 10: {
        const n = (u.name ?? 'someone').toLowerCase().replace(/\s+/g, '');
        return rand() < 0.5 ? `nickname:*${n.slice(-3)}` : `name:*${n.slice(1, 4)}*`;
      }
      case 11:
        return `_exists_:${pick(['app_metadata.beta', 'phone_number', 'user_metadata.addresses', 'last_login', 'app_metadata', 'app_metadata.nested'])}`;
      case 12:
        return bare(cased((u.name ?? 'x').split(' ')[0]!)); // no field: the default fields
      case 13:
        return `user_metadata.language:${pick(['en', 'fr', 'de', 'es', 'ja', 'EN'])}`;
      case 14:
        return `blocked:${rand() < 0.5}`;
      default:
        return `last_login:${pick(['[', '{'])}* TO ${dateOf()}${pick([']', '}'])}`;
    }
  };
  const node = (depth: number): string => {
    const r = rand();
    if (depth > 2 || r < 0.45) return leaf();
    if (r < 0.65) return `(${node(depth + 1)} AND ${node(depth + 1)})`;
    if (r < 0.8) return `(${node(depth + 1)} OR ${node(depth + 1)})`;
    if (r < 0.9) return `(${node(depth + 1)} AND NOT ${node(depth + 1)})`;
    return `NOT ${leaf()}`;
  };
  return () => node(0);
}

describe('the offline store against the local tenant', () => {
  it('finds the same users for 400 generated queries', async () => {
    const next = generator(20261123);
    let compared = 0;
    let nonEmpty = 0;
    for (let i = 0; i < 400; i++) {
      const q = next();
      const [a, b] = [await tenant(q), await offline(q)];
      if ('error' in a) {
        expect(b, q).toEqual({ error: a.error });
        continue;
      }
      expect('error' in b ? b.error : null, q).toBeNull();
      const o = b as { total: number; ids: string[] };
      expect(o.total, q).toBe(a.total);
      // Up to Auth0's 1,000 the whole set; past it, the tenant can only show its first 1,000.
      if (a.total <= 1000) expect(new Set(o.ids), q).toEqual(new Set(a.ids));
      compared++;
      if (a.total > 0) nonEmpty++;
    }
    expect(compared).toBeGreaterThan(350);
    expect(nonEmpty).toBeGreaterThan(200);
  }, 120_000);

  it('answers the same from a snapshot of the earlier format, converted on its first open', async () => {
    const next = generator(20261204);
    let nonEmpty = 0;
    for (let i = 0; i < 400; i++) {
      const q = next();
      const [whole, split] = [await offline(q), await offline(q, inParts)];
      expect(split, q).toEqual(whole);
      if (!('error' in whole) && whole.total > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(200);
  });

  it('cuts date ranges at any bound (a month, a day, an hour, a whole timestamp) like the tenant', async () => {
    const rand = prng(7);
    const users = [...t.emu.store.users.values()];
    const stamp = () => {
      const u = users[Math.floor(rand() * users.length)]!;
      const v = (rand() < 0.5 ? u.created_at : u.updated_at) ?? '2025-06-01T00:00:00.000Z';
      return v.slice(0, [4, 7, 10, 13, 16, 24][Math.floor(rand() * 6)]);
    };
    let nonEmpty = 0;
    for (let i = 0; i < 150; i++) {
      const field = ['created_at', 'updated_at', 'last_login'][i % 3]!;
      const [a, b] = [stamp(), stamp()].sort();
      const from = rand() < 0.15 ? '*' : a;
      const to = rand() < 0.15 ? '*' : rand() < 0.1 ? a : b;
      const q = `${field}:${rand() < 0.5 ? '[' : '{'}${from} TO ${to}${rand() < 0.5 ? ']' : '}'}`;
      const [x, y] = [await tenant(q), await offline(q)];
      if ('error' in x) {
        expect(y, q).toEqual({ error: x.error });
        continue;
      }
      expect((y as { total: number }).total, q).toBe(x.total);
      if (x.total <= 1000) expect(new Set((y as { ids: string[] }).ids), q).toEqual(new Set(x.ids));
      if (x.total > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(100);
  }, 120_000);

  it('sorts the same way, ties and users without the field included', async () => {
    for (const [q, sort] of [
      ['', 'email:1'],
      ['', 'logins_count:-1'],
      ['email_verified:true', 'last_login:-1'],
      ['identities.connection:"google-oauth2"', 'name:1'],
      ['app_metadata.plan:pro', 'created_at:1'],
      ['', 'blocked:-1'],
      ['logins_count:[10 TO 60]', 'app_metadata.plan:1'],
    ] as const) {
      const [a, b] = [await tenant(q, sort), await offline(q, sort)];
      expect(b, `${q} ${sort}`).toEqual(a);
    }
  }, 60_000);

  it('sorts the same way from kept sort orders: every indexed field, both ways, any page', async () => {
    expect(ordered.keptOrders).toEqual([...INDEXED_SORTS]);
    expect(snap.keptOrders).toEqual([]);
    const fields = ['email', 'name', 'nickname', 'user_id', 'created_at', 'updated_at', 'last_login'];
    const queries = [
      '',
      'email_verified:true',
      'app_metadata.plan:pro',
      'name:"Star * Name"',
      'blocked:nothing',
      // Matches bunched at one end of an order: the sorting scan's first try, among the users beyond a sampled value,
      // comes out short at the other end, and the whole scan answers.
      'created_at:[* TO 2025-03-01]',
      'logins_count:[0 TO 3]',
    ];
    const sorts = [...fields, 'logins_count', 'blocked', 'email_verified'].flatMap((f) => [
      `${f}:1`,
      `${f}:-1`,
    ]);
    let compared = 0;
    for (const q of queries)
      for (const sort of sorts)
        for (const [offset, limit] of [
          [0, 50],
          [37, 100],
          [2990, 50],
        ] as const) {
          const a = await snap.query(q, { sort, offset, limit });
          const b = await ordered.query(q, { sort, offset, limit });
          expect(
            b.users.map((u) => u.user_id),
            `${q} ${sort} ${offset}`,
          ).toEqual(a.users.map((u) => u.user_id));
          compared += a.users.length;
        }
    expect(compared).toBeGreaterThan(5000);
    // And the tenant agrees with the kept orders.
    for (const [q, sort] of [
      ['', 'email:1'],
      ['', 'logins_count:-1'],
      ['email_verified:true', 'last_login:-1'],
      ['', 'blocked:-1'],
    ] as const) {
      const r = await ordered.query(q, { sort, offset: 0, limit: 1000 });
      expect({ total: r.total, ids: r.users.map((u) => u.user_id) }, `${q} ${sort}`).toEqual(
        await tenant(q, sort),
      );
    }
  }, 60_000);

  it('refuses what the tenant refuses, with its reason', async () => {
    for (const q of [
      'user_metadata.language:e*',
      'user_metadata.score:[1 TO 5]',
      'email:*ab',
      'logins_count:[a TO b]',
      'name:(broken',
    ]) {
      const [a, b] = [await tenant(q), await offline(q)];
      expect('error' in a, q).toBe(true);
      expect(b, q).toEqual({ error: (a as { error: string }).error });
    }
  });
});
