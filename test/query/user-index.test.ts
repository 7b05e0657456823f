// Auth0 v3 user-search semantics of the local tenant's index.
import { describe, expect, it } from 'vitest';
import { QueryError, UserIndex, parseQuery, type StoredUser } from '../../query/index.js';
import { TenantStore } from '../../emulator/store.js';
import { seedTenant } from '../../emulator/seed.js';

function user(id: string, extra: Partial<StoredUser> = {}): StoredUser {
  return {
    user_id: `auth0|${id}`,
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:00.000Z',
    identities: [
      { connection: 'Username-Password-Authentication', provider: 'auth0', user_id: id, isSocial: false },
    ],
    ...extra,
  };
}

function indexOf(users: StoredUser[]): UserIndex {
  const index = new UserIndex();
  for (const u of users) index.upsert(u);
  return index;
}

const people = [
  user('1', {
    email: 'John.Smith@Example.com',
    name: 'John Smith',
    logins_count: 5,
    created_at: '2024-03-01T10:00:00.000Z',
    blocked: true,
    app_metadata: { plan: 'pro', tier: { level: 2 } },
    user_metadata: { theme: 'Dark', addresses: [{ city: 'Paris' }, { city: 'Lyon' }] },
  }),
  user('2', {
    email: 'jane.doe@example.org',
    name: 'Jane Doe',
    logins_count: 50,
    created_at: '2024-06-15T08:00:00.000Z',
    app_metadata: { plan: 'free' },
    user_metadata: { theme: 'light' },
  }),
  user('3', {
    email: 'johnny@acme.test',
    name: 'Johnny Be Good',
    nickname: 'jbg',
    logins_count: 150,
    created_at: '2025-01-10T00:00:00.000Z',
    app_metadata: { plan: 'pro' },
  }),
  {
    user_id: 'google-oauth2|123',
    email: 'ada@gmail.example',
    name: 'Ada Lovelace',
    created_at: '2023-01-01T00:00:00.000Z',
    identities: [{ connection: 'google-oauth2', provider: 'google-oauth2', user_id: '123', isSocial: true }],
  },
];
const ids = (r: { users: StoredUser[] }) => r.users.map((u) => u.user_id);
const q = (index: UserIndex, query: string) => ids(index.query(query, { offset: 0, limit: 100 }));

describe('user search', () => {
  const index = indexOf(people);

  it('matches email exactly and case-insensitively', () => {
    expect(q(index, 'email:"john.smith@example.com"')).toEqual(['auth0|1']);
    expect(q(index, 'email:JANE.DOE@EXAMPLE.ORG')).toEqual(['auth0|2']);
    expect(q(index, 'email:john')).toEqual([]);
  });

  it('matches name words case-insensitively and phrases in order', () => {
    expect(q(index, 'name:john')).toEqual(['auth0|1']);
    expect(q(index, 'name:"john smith"')).toEqual(['auth0|1']);
    expect(q(index, 'name:"smith john"')).toEqual([]);
    expect(q(index, 'name:"be good"')).toEqual(['auth0|3']);
  });

  it('supports prefix wildcards of any length and suffix wildcards of 3+ characters', () => {
    expect(q(index, 'name:joh*')).toEqual(['auth0|1', 'auth0|3']);
    expect(q(index, 'email:*@example.org')).toEqual(['auth0|2']);
    expect(q(index, 'email:*.test')).toEqual(['auth0|3']);
    expect(() => index.query('email:*st', { offset: 0, limit: 10 })).toThrow(QueryError);
  });

  it('combines AND, OR, NOT and parentheses', () => {
    expect(q(index, 'app_metadata.plan:"pro" AND NOT blocked:true')).toEqual(['auth0|3']);
    expect(q(index, 'name:jane OR name:ada')).toEqual(['auth0|2', 'google-oauth2|123']);
    expect(q(index, '(name:jane OR name:john) AND logins_count:[10 TO *]')).toEqual(['auth0|2']);
    expect(q(index, 'NOT app_metadata.plan:*')).toEqual(['google-oauth2|123']);
  });

  it('evaluates numeric and date ranges with inclusive and exclusive bounds', () => {
    expect(q(index, 'logins_count:[5 TO 50]')).toEqual(['auth0|1', 'auth0|2']);
    expect(q(index, 'logins_count:{5 TO 50]')).toEqual(['auth0|2']);
    expect(q(index, 'logins_count:[100 TO *]')).toEqual(['auth0|3']);
    expect(q(index, 'created_at:[2024-01-01 TO 2024-12-31]')).toEqual(['auth0|1', 'auth0|2']);
  });

  it('searches metadata by dotted path through arrays, case-sensitively', () => {
    expect(q(index, 'user_metadata.addresses.city:"Lyon"')).toEqual(['auth0|1']);
    expect(q(index, 'user_metadata.theme:"Dark"')).toEqual(['auth0|1']);
    expect(q(index, 'user_metadata.theme:"dark"')).toEqual([]);
    expect(q(index, 'app_metadata.tier.level:2')).toEqual(['auth0|1']);
  });

  it('refuses wildcards and ranges on user_metadata', () => {
    expect(() => index.query('user_metadata.theme:Da*', { offset: 0, limit: 10 })).toThrow(/user_metadata/);
    expect(() => index.query('user_metadata.age:[1 TO 5]', { offset: 0, limit: 10 })).toThrow(
      /user_metadata/,
    );
  });

  it('does not match metadata with bare terms', () => {
    expect(q(index, 'Paris')).toEqual([]);
    expect(q(index, 'jane')).toEqual(['auth0|2']);
  });

  it('supports _exists_, identities fields and email.domain', () => {
    expect(q(index, '_exists_:nickname')).toEqual(['auth0|3']);
    expect(q(index, '_exists_:app_metadata.tier')).toEqual(['auth0|1']);
    expect(q(index, 'identities.connection:"google-oauth2"')).toEqual(['google-oauth2|123']);
    expect(q(index, 'identities.isSocial:true')).toEqual(['google-oauth2|123']);
    expect(q(index, 'email.domain:"example.com"')).toEqual(['auth0|1']);
  });

  it('sorts by a field either way, missing values last, and pages', () => {
    expect(ids(index.query('', { sort: 'logins_count:-1', offset: 0, limit: 10 }))).toEqual([
      'auth0|3',
      'auth0|2',
      'auth0|1',
      'google-oauth2|123',
    ]);
    expect(ids(index.query(undefined, { sort: 'created_at:1', offset: 1, limit: 2 }))).toEqual([
      'auth0|1',
      'auth0|2',
    ]);
    expect(index.query('', { offset: 0, limit: 2 }).total).toBe(4);
    expect(() => index.query('', { sort: 'created_at', offset: 0, limit: 1 })).toThrow(QueryError);
  });

  it('rejects malformed queries with a QueryError naming the problem', () => {
    for (const bad of [
      'name:(john',
      'email:"open',
      'logins_count:[1 TO',
      'name:john AND',
      'name:jo?n',
      ')',
    ]) {
      expect(() => parseQuery(bad), bad).toThrow(QueryError);
    }
    try {
      parseQuery('name:(john');
    } catch (err) {
      expect((err as QueryError).errorCode).toBe('invalid_query_string');
      expect((err as Error).message).toMatch(/missing closing parenthesis/);
    }
  });

  it('upsert replaces the old index entries and remove drops them', () => {
    const idx = indexOf(people.map((p) => structuredClone(p)));
    idx.upsert({ ...structuredClone(people[1]!), name: 'Jane Roe', app_metadata: { plan: 'pro' } });
    expect(q(idx, 'name:doe')).toEqual([]);
    expect(q(idx, 'name:roe')).toEqual(['auth0|2']);
    expect(q(idx, 'app_metadata.plan:"free"')).toEqual([]);
    // Order stays creation order after an update.
    expect(q(idx, 'app_metadata.plan:"pro"')).toEqual(['auth0|1', 'auth0|2', 'auth0|3']);
    idx.remove('auth0|1');
    expect(q(idx, 'name:john')).toEqual([]);
    expect(idx.size).toBe(3);
  });
});

describe('user search at scale', () => {
  it('agrees with a naive filter over 100,000 seeded users', () => {
    const store = new TenantStore();
    seedTenant(store, { users: 100_000, seed: 'scale', now: Date.UTC(2026, 0, 1) });
    const all = [...store.users.values()];
    const checks: [string, (u: (typeof all)[number]) => boolean][] = [
      ['email:*@example.org', (u) => !!u.email?.endsWith('@example.org')],
      ['blocked:true', (u) => u.blocked === true],
      [
        'app_metadata.plan:"enterprise" AND email_verified:false',
        (u) => u.app_metadata?.plan === 'enterprise' && u.email_verified === false,
      ],
      ['logins_count:[100 TO 150]', (u) => (u.logins_count ?? -1) >= 100 && (u.logins_count ?? -1) <= 150],
      [
        'identities.connection:"github" OR user_metadata.language:"ja"',
        (u) => u.identities[0]?.connection === 'github' || u.user_metadata?.language === 'ja',
      ],
      [
        'name:ada*',
        (u) =>
          !!u.name
            ?.toLowerCase()
            .split(' ')
            .some((w) => w.startsWith('ada')),
      ],
    ];
    for (const [query, predicate] of checks) {
      const expected = all.filter(predicate).map((u) => u.user_id);
      const got = store.index.query(query, { offset: 0, limit: 1_000_000 });
      expect(got.total, query).toBe(expected.length);
      expect(
        got.users.map((u) => u.user_id),
        query,
      ).toEqual(expected);
    }
  });
});

describe('prefix wildcards on numeric fields', () => {
  it('see values changed since the last query, even when the number of distinct values is the same', () => {
    const idx = indexOf([user('a', { logins_count: 12 }), user('b', { logins_count: 30 })]);
    expect(q(idx, 'logins_count:1*')).toEqual(['auth0|a']);
    idx.upsert(user('a', { logins_count: 15 }));
    expect(q(idx, 'logins_count:15*')).toEqual(['auth0|a']);
    expect(q(idx, 'logins_count:12*')).toEqual([]);
  });
});
