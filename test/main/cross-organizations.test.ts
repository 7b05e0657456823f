// Organizations across tenants through the router against local tenants: found by name on three tenants while one
// is down (its answer a failure in words, the others' whole), and two tenants' organizations compared — matched by
// name, members matched by email (user ids differ between tenants) — as a task with its CSV.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CrossOrgResult,
  DownloadRef,
  OrgCompareSummary,
  TaskSummary,
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
const dataDir = mkdtempSync(join(tmpdir(), 'td-cross-orgs-'));

const call = <T>(channel: string, payload: unknown) => routerCall<T>(app, channel, payload);
const failure = (channel: string, payload: unknown) => routerFailure(app, channel, payload);

const orgNamed = (t: TestTenant, name: string) =>
  [...t.emu.store.organizations.values()].find((o) => o.name === name)!;
/** An organization's members as the comparison keys them: the email in lower case, or the user id. */
const keysOf = (t: TestTenant, name: string) =>
  new Set(
    [...(t.emu.store.orgMembers.get(orgNamed(t, name).id) ?? [])].map((id) => {
      const email = t.emu.store.users.get(id)?.email;
      return email ? email.toLowerCase() : id;
    }),
  );

beforeAll(async () => {
  [a, b, down] = await Promise.all([
    startTestTenant({ users: 80, seed: 'orgs-a' }),
    startTestTenant({ users: 60, seed: 'orgs-b' }),
    startTestTenant({ users: 20, seed: 'orgs-down' }),
  ]);
  app = await createApp({ dataDir, host: 'browser', version: 'test', vault: new SessionVault() });
  for (const [x, label] of [
    [a, 'Europe'],
    [b, 'America'],
    [down, 'Asia'],
  ] as const) {
    profiles.push(await call<TenantProfile>('tenants:add', x.sessionProfile(label, 'production', '#37474f')));
  }
  // Known differences: Stark only in A, Wayne only in B, Hooli (three of them) only in A.
  await b.client().organizations.delete(orgNamed(b, 'stark').id);
  await b.client().organizations.create({ name: 'wayne', display_name: 'Wayne Enterprises' });
  for (const n of [1, 2, 3])
    await a.client().organizations.create({ name: `hooli-${n}`, display_name: `Hooli ${n}` });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await Promise.all([a?.close(), b?.close()]);
});

describe('organizations across tenants', () => {
  it('finds organizations by name or display name on three tenants, one of them down, without hiding the others', async () => {
    // Asked once while up (its token is cached), then the tenant goes away.
    await call('orgs:list', { tenantId: profiles[2]!.id });
    await down.close();
    const { results } = await call<{ results: CrossOrgResult[] }>('cross:find-organizations', {
      tenantIds: profiles.map((p) => p.id),
      name: 'CORP',
    });
    expect(results.map((r) => r.tenantId)).toEqual(profiles.map((p) => p.id));
    for (const r of results.slice(0, 2)) {
      if (!r.ok) throw new Error(`failed: ${r.error.message}`);
      // "Corporation" is in the display names of Acme, Globex and Umbrella.
      expect(r.organizations.map((o) => o.name).sort()).toEqual(['acme', 'globex', 'umbrella']);
      expect(r.organizations.find((o) => o.name === 'acme')).toMatchObject({
        id: expect.stringMatching(/^org_/),
        displayName: 'Acme Corporation',
      });
      expect(r.capped).toBe(false);
    }
    const failed = results[2]!;
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(failed.error.code).toBe('network');
      expect(failed.error.message.length).toBeGreaterThan(10);
    }

    // By name, only on the tenant that has it; at most perTenant, said to be capped.
    const wayne = await call<{ results: CrossOrgResult[] }>('cross:find-organizations', {
      tenantIds: [profiles[0]!.id, profiles[1]!.id],
      name: 'enterprises',
    });
    expect(wayne.results.map((r) => (r.ok ? r.organizations.map((o) => o.name) : null))).toEqual([
      [],
      ['wayne'],
    ]);
    const capped = await call<{ results: CrossOrgResult[] }>('cross:find-organizations', {
      tenantIds: [profiles[0]!.id],
      name: 'hooli',
      perTenant: 2,
    });
    const r = capped.results[0]!;
    expect(r.ok && r.organizations.length).toBe(2);
    expect(r.ok && r.capped).toBe(true);
  }, 60_000);

  it('refuses a find without a name, or with a tenant chosen twice', async () => {
    const empty = await failure('cross:find-organizations', { tenantIds: [profiles[0]!.id], name: '  ' });
    expect(JSON.stringify(empty.details)).toContain('Type part of an organization name.');
    const twice = await failure('cross:find-organizations', {
      tenantIds: [profiles[0]!.id, profiles[0]!.id],
      name: 'acme',
    });
    expect(JSON.stringify(twice.details)).toContain('A tenant is chosen twice.');
    const extra = await failure('cross:find-organizations', {
      tenantIds: [profiles[0]!.id],
      name: 'acme',
      q: 'x',
    });
    expect(extra.code).toBe('validation');
  });

  it('compares two tenants’ organizations by name and their members by email, as a task with a CSV', async () => {
    // One of A's Acme members made in B (the email in upper case) and added to B's Acme: matched, not listed.
    const acmeA = orgNamed(a, 'acme');
    const sharedId = [...a.emu.store.orgMembers.get(acmeA.id)!].find(
      (id) => a.emu.store.users.get(id)?.email && !keysOf(b, 'acme').has(a.emu.store.users.get(id)!.email!),
    )!;
    const shared = a.emu.store.users.get(sharedId)!;
    const connection = b.emu.store.connections.find((c) => c.strategy === 'auth0')!.name;
    const made = await b.client().users.create({
      connection,
      email: shared.email!.toUpperCase(),
      password: 'Correct-Horse-9!',
    });
    await b.client().organizations.members.create(orgNamed(b, 'acme').id, { members: [made.user_id!] });
    expect(keysOf(b, 'acme').has(shared.email!.toLowerCase())).toBe(true);

    const summary = await call<OrgCompareSummary>('cross:compare-organizations', {
      runId: 'orgs-run-1',
      tenantA: profiles[0]!.id,
      tenantB: profiles[1]!.id,
    });
    expect(summary).toMatchObject({ compareId: 'orgs-run-1', labelA: 'Europe', labelB: 'America' });
    expect(summary.onlyInA.map((o) => o.name)).toEqual(['hooli-1', 'hooli-2', 'hooli-3', 'stark']);
    expect(summary.onlyInB.map((o) => o.name)).toEqual(['wayne']);
    expect(summary.onlyInB[0]!.displayName).toBe('Wayne Enterprises');
    expect(summary.organizations.map((e) => e.name)).toEqual(['acme', 'globex', 'initech', 'umbrella']);
    let lines = 0;
    for (const e of summary.organizations) {
      const ka = keysOf(a, e.name);
      const kb = keysOf(b, e.name);
      const onlyA = [...ka].filter((k) => !kb.has(k));
      const onlyB = [...kb].filter((k) => !ka.has(k));
      expect(e, e.name).toMatchObject({
        a: { id: orgNamed(a, e.name).id, members: ka.size },
        b: { id: orgNamed(b, e.name).id, members: kb.size },
        onlyInA: onlyA.length,
        onlyInB: onlyB.length,
        inBoth: ka.size - onlyA.length,
      });
      expect(e.sampleOnlyInA).toHaveLength(Math.min(50, onlyA.length));
      expect(e.sampleOnlyInA.every((k) => onlyA.includes(k.key))).toBe(true);
      expect(e.sampleOnlyInB.every((k) => onlyB.includes(k.key))).toBe(true);
      // A member without an email is keyed by their user id, and said so.
      for (const k of [...e.sampleOnlyInA, ...e.sampleOnlyInB])
        expect(k.byUserId ? k.key === k.userId : k.key.includes('@')).toBe(true);
      lines += onlyA.length + onlyB.length;
    }
    const acme = summary.organizations.find((e) => e.name === 'acme')!;
    expect(acme.inBoth).toBeGreaterThanOrEqual(1);
    expect(acme.sampleOnlyInA.some((k) => k.key === shared.email!.toLowerCase())).toBe(false);

    const task = await call<TaskSummary>('tasks:get', { taskId: 'orgs-run-1' });
    expect(task).toMatchObject({
      kind: 'org-compare',
      status: 'completed',
      label: 'Organizations of Europe and America',
      progress: { done: 4, total: 4, unit: 'organizations' },
      detail: { kind: 'org-compare' },
    });

    const file = await call<DownloadRef>('tasks:results', { taskId: 'orgs-run-1' });
    expect(file.filename).toBe('Europe-vs-America-organizations.csv');
    const rows = parse(readFileSync(app.downloads.get(file.id).path, 'utf8'), {
      columns: true,
      bom: true,
    }) as Record<string, string>[];
    expect(rows).toHaveLength(lines + 5);
    expect(
      rows.filter((r) => r.comparison === 'organization only in Europe').map((r) => r.organization),
    ).toEqual(['hooli-1', 'hooli-2', 'hooli-3', 'stark']);
    expect(rows.filter((r) => r.comparison === 'organization only in America')).toHaveLength(1);
    const acmeOnlyA = rows.filter(
      (r) => r.organization === 'acme' && r.comparison === 'member only in Europe',
    );
    expect(acmeOnlyA).toHaveLength(acme.onlyInA);
    expect(acmeOnlyA.every((r) => r.matched_by === (r.email ? 'email' : 'user_id (no email)'))).toBe(true);
  }, 120_000);

  it('fails a comparison with a tenant that is down, naming it', async () => {
    const e = await failure('cross:compare-organizations', {
      runId: 'orgs-run-2',
      tenantA: profiles[0]!.id,
      tenantB: profiles[2]!.id,
    });
    expect(e.code).toBe('network');
    expect(e.message).toMatch(/^Reading Asia failed: /);
    const task = await call<TaskSummary>('tasks:get', { taskId: 'orgs-run-2' });
    expect(task.status).toBe('failed');
    expect(task.reason).toMatch(/^Reading Asia failed: /);
  }, 60_000);

  it('refuses to compare a tenant with itself', async () => {
    const e = await failure('cross:compare-organizations', {
      runId: 'orgs-run-3',
      tenantA: profiles[0]!.id,
      tenantB: profiles[0]!.id,
    });
    expect(JSON.stringify(e.details)).toContain('Choose two different tenants.');
  });
});
