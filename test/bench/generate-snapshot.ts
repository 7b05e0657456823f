// Generated users with a realistic spread of names, domains, dates, connections and metadata (a fixed seed: the same
// file each time), as an NDJSON users file — what DuckDB loads for the benchmark's anchor, and what a snapshot is
// built from by the snapshot builder, as the app builds every snapshot. Used by bench:export.
import { closeSync, openSync, writeSync } from 'node:fs';

const FIRST = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Ken',
  'Dennis',
  'Barbara',
  'John',
  'Jane',
  'Sophie',
  'Omar',
  'Fatima',
  'Wei',
  'Hedy',
  'Chloé',
  'Zoë',
  'Priya',
  'Aiko',
  'Noah',
];
const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Ritchie',
  'Liskov',
  'Smith',
  'Doe',
  'Nkemelu',
  'Müller',
  'Tanaka',
  'Johnson',
  'Dijkstra',
  'Knuth',
];
const DOMAINS = ['example.com', 'example.org', 'acme.example', 'globex.example', 'contoso.example'];

/**
 * Writes `count` users, one JSON object per line. A `later` file is the same tenant some time after: every 97th user
 * on another plan, every 503rd gone, and 1,000 new users at the end (the benchmark's compare).
 */
export function writeUsersFile(path: string, count: number, later = false): void {
  let seed = 20261123;
  const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const fd = openSync(path, 'w', 0o600);
  let pending: string[] = [];
  const flush = () => {
    if (pending.length) writeSync(fd, pending.join('\n') + '\n');
    pending = [];
  };
  const w = {
    add(user: Record<string, unknown>) {
      pending.push(JSON.stringify(user));
      if (pending.length >= 10_000) flush();
    },
  };
  const day = 86_400_000;
  const total = later ? count + 1000 : count;
  for (let i = 0; i < total; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const email = `${first.toLowerCase()}.${last.toLowerCase()}${i}@${pick(DOMAINS)}`;
    const created = Date.UTC(2024, 6, 1) + Math.floor(rand() * 700 * day);
    const social = rand() < 0.2;
    const user: Record<string, unknown> = {
      user_id: social
        ? `google-oauth2|${100000000000 + i}`
        : `auth0|${(i * 2654435761).toString(16).padStart(24, '0').slice(-24)}`,
      email,
      email_verified: rand() < 0.85,
      name: `${first} ${last}`,
      given_name: first,
      family_name: last,
      nickname: email.split('@')[0],
      created_at: new Date(created).toISOString(),
      updated_at: new Date(created + day).toISOString(),
      ...(rand() < 0.8
        ? { last_login: new Date(created + 2 * day).toISOString(), last_ip: `203.0.113.${i % 250}` }
        : {}),
      logins_count: Math.floor(rand() * 200),
      ...(rand() < 0.03 ? { blocked: true } : {}),
      identities: [
        social
          ? {
              connection: 'google-oauth2',
              provider: 'google-oauth2',
              user_id: String(100000000000 + i),
              isSocial: true,
            }
          : {
              connection: 'Username-Password-Authentication',
              provider: 'auth0',
              user_id: String(i),
              isSocial: false,
            },
      ],
      app_metadata: {
        plan: pick(['free', 'free', 'pro', 'enterprise']),
        customer_id: `cus_${i}`,
        ...(rand() < 0.2 ? { beta: true } : {}),
      },
      user_metadata: {
        theme: rand() < 0.5 ? 'dark' : 'light',
        language: pick(['en', 'en', 'fr', 'de', 'es', 'ja']),
      },
    };
    if (later && i < count && i % 503 === 0) continue;
    if (later && i % 97 === 0) (user.app_metadata as Record<string, unknown>).plan = 'enterprise-2026';
    w.add(user);
  }
  flush();
  closeSync(fd);
}
