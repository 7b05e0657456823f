// `npm run bench:hardening`: the hardening review's two figures. (1) 300 concurrent metadata updates through the
// app against a local tenant (its own process) under --rate-limit 10:10 --fail-rate 0.1: how many were applied exactly
// once (counted by the tenant) and audited. (2) How long hostile queries take on 100,000 users. Prints; asserts nothing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AuditEntry, Auth0User, TenantProfile } from '../../preload/contract.js';
import { createApp } from '../../main/app.js';
import { SessionVault } from '../../main/vault/index.js';
import { TenantStore } from '../../emulator/store.js';
import { seedTenant } from '../../emulator/seed.js';
import { startCliTenant } from '../support/cli-tenant.js';

const UPDATES = Number(process.env.BENCH_UPDATES ?? 300);

// ---- (1) metadata updates under faults ----
const tenant = await startCliTenant([
  '--users',
  String(UPDATES + 50),
  '--seed',
  'hardening',
  '--rate-limit',
  '10:10',
  '--fail-rate',
  '0.1',
]);
const app = await createApp({
  dataDir: mkdtempSync(join(tmpdir(), 'td-bench-hard-')),
  host: 'browser',
  version: 'bench',
  vault: new SessionVault(),
});
const added = await app.router.invoke('tenants:add', {
  label: 'Flaky',
  domain: tenant.domain,
  clientId: tenant.admin.clientId,
  environment: 'development',
  color: '#aa5500',
  caCert: tenant.caCert,
  secret: tenant.admin.clientSecret,
  secretStorage: 'session',
});
if (!added.ok) throw new Error(added.error.message);
const profile = added.data as TenantProfile;
// The users to update, read straight from the tenant (retrying its injected failures).
const users: Auth0User[] = [];
for (let page = 0; users.length < UPDATES; page++) {
  const res = await tenant.api(`/users?per_page=100&page=${page}&sort=created_at:1`);
  if (!res.ok) {
    page--;
    await new Promise((r) => setTimeout(r, 200));
    continue;
  }
  users.push(...((await res.json()) as Auth0User[]).slice(0, UPDATES - users.length));
}
await new Promise((r) => setTimeout(r, 2_000)); // let the tenant's bucket fill again
const started = performance.now();
const results = await Promise.all(
  users.map((u, i) =>
    app.router.invoke('users:update-metadata', {
      tenantId: profile.id,
      userId: u.user_id,
      kind: 'user_metadata',
      changes: { bench: i },
      expectedUpdatedAt: u.updated_at,
    }),
  ),
);
const seconds = (performance.now() - started) / 1000;
const writes = (await (await tenant.fetch('/__emulator/writes')).json()) as Record<string, number>;
const once = users.filter((u) => writes[u.user_id] === 1).length;
const duplicated = users.filter((u) => (writes[u.user_id] ?? 0) > 1).length;
const audit = (await app.router.invoke('audit:list', { tenantId: profile.id, limit: 5000 })) as {
  ok: true;
  data: AuditEntry[];
};
const audited = audit.data.filter(
  (e) => e.action === 'user.update-user-metadata' && e.outcome === 'success',
).length;
const failed = results.filter((r) => !r.ok).length;
await app.close();
await tenant.stop();
console.log(
  `metadata updates: ${UPDATES} concurrent under --rate-limit 10:10 --fail-rate 0.1 in ${seconds.toFixed(1)} s (each is a read and a write: ideal ${((2 * UPDATES - 10) / 10).toFixed(1)} s)`,
);

// ---- (2) hostile queries on 100,000 users ----
const store = new TenantStore();
store.untracked(() => seedTenant(store, { users: 100_000, seed: 'bench' }));
const queries: [string, string][] = [
  [
    '20 wildcards',
    Array.from({ length: 20 }, (_, i) => `name:*${['abc', 'bcd', 'cde'][i % 3]}*e*`).join(' OR '),
  ],
  ['email:a********z', 'email:a********z'],
  ['10,000 nested parentheses', `${'('.repeat(10_000)}a${')'.repeat(10_000)}`],
  ['a 4,000-character term', `name:${'a'.repeat(4000)}`],
  ['a 4,000-character wildcard', `name:*${'ab'.repeat(1999)}*`],
];
const timings: string[] = [];
for (const [label, q] of queries) {
  const t0 = performance.now();
  let outcome: string;
  try {
    outcome = `${store.index.query(q, { offset: 0, limit: 50 }).total} results`;
  } catch (err) {
    outcome = `400: ${(err as Error).message.slice(0, 60)}…`;
  }
  const ms = performance.now() - t0;
  timings.push(`${label} ${ms.toFixed(1)} ms`);
  console.log(`query over 100,000 users, ${label}: ${ms.toFixed(1)} ms (${outcome})`);
}
console.log(
  `hardening: ${once}/${UPDATES} applied exactly once, duplicated ${duplicated}, failed ${failed}, audited ${audited}; queries: ${timings.join(', ')}`,
);
