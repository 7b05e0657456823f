// The access review report (#24) of snapshots of a hand-made tenant: six users whose roles, organizations, logins,
// verification and blocking are each chosen, snapshotted with roles and organizations, changed, snapshotted again.
// Each section of the report — Summary, Role holders, Flags, Changes — is read back from the XLSX and the HTML page
// and compared row by row with what the tenant holds; a snapshot taken without roles says so; bad input is refused.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AccessReviewSummary,
  ExportStatus,
  SnapshotSummary,
  TaskSummary,
  TenantProfile,
} from '../../preload/contract.js';
import { createApp, type App } from '../../main/app.js';
import { htmlReport } from '../../main/reviews/report-html.js';
import { runCli } from '../../main/cli/program.js';
import { SessionVault } from '../../main/vault/index.js';
import type { User } from '../../emulator/model.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const OPS = '=Ops "root"';

let t: TestTenant;
let app: App;
let dataDir: string;
let tenant: TenantProfile;
let n = 0;
let first: SnapshotSummary;
let second: SnapshotSummary;
let bare: SnapshotSummary;

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const r = await app.router.invoke(channel, payload);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.data as T;
}
async function settled(taskId: string): Promise<TaskSummary> {
  for (;;) {
    const s = await call<TaskSummary>('tasks:get', { taskId });
    if (s.status !== 'running') return s;
    await new Promise((r) => setTimeout(r, 25));
  }
}
async function snapshot(access: boolean): Promise<SnapshotSummary> {
  const exportId = `review-snap-${String(++n).padStart(4, '0')}`;
  await call('exports:start', {
    tenantId: tenant.id,
    exportId,
    source: { kind: 'tenant' },
    format: 'ndjson',
    fields: [{ name: 'user_id' }],
    keepSnapshot: true,
    includeRoles: access,
    includeOrganizations: access,
  });
  const s = (await settled(exportId)).detail as { export: ExportStatus };
  expect(s.export.phase).toBe('completed');
  return s.export.snapshot!;
}
async function review(
  options: Record<string, unknown>,
): Promise<{ status: ExportStatus; review: AccessReviewSummary; path: string }> {
  const reviewId = `review-${String(++n).padStart(4, '0')}`;
  await call('reviews:start', { reviewId, ...options });
  const task = await settled(reviewId);
  expect(task.status, task.reason).toBe('completed');
  const d = task.detail as { kind: 'access-review'; export: ExportStatus; review: AccessReviewSummary };
  return { status: d.export, review: d.review, path: app.downloads.get(d.export.file!.id).path };
}
async function sheets(path: string): Promise<Record<string, unknown[][]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const out: Record<string, unknown[][]> = {};
  book.eachSheet((sheet) => {
    const rows: unknown[][] = [];
    for (let i = 1; i <= sheet.rowCount; i++) {
      // Every row as wide as the sheet's columns, an empty cell as null.
      const values = (sheet.getRow(i).values as unknown[]).slice(1);
      rows.push(Array.from({ length: sheet.columnCount }, (_, k) => values[k] ?? null));
    }
    out[sheet.name] = rows;
  });
  return out;
}

function user(id: string, fields: Partial<User>): User {
  const at = ago(400);
  return {
    user_id: `auth0|${id}`,
    email: `${id}@example.com`,
    email_verified: true,
    created_at: at,
    updated_at: at,
    identities: [
      { connection: 'Username-Password-Authentication', user_id: id, provider: 'auth0', isSocial: false },
    ],
    ...fields,
  };
}

beforeAll(async () => {
  app = await createApp({
    dataDir: (dataDir = mkdtempSync(join(tmpdir(), 'td-access-review-'))),
    host: 'browser',
    version: 'test',
    vault: new SessionVault(),
    resumeLocalTenant: false,
  });
  t = await startTestTenant({ users: 0, seed: 'access-review' });
  tenant = await call<TenantProfile>('tenants:add', t.sessionProfile('Review', 'staging', '#123456'));
  const store = t.emu.store;
  const api = t.client();
  const lastLogin = { alice: 3, bob: 200, erin: 10, frank: 1 } as Record<string, number>;
  for (const [id, extra] of [
    ['alice', { name: 'Alice Admin' }],
    ['bob', { name: 'Bob Both' }],
    ['carol', { name: 'Carol Clerk', email_verified: false }],
    ['dave', { name: 'Dave Dormant', blocked: true }],
    // A name a spreadsheet would run, and markup a page would: neutralised in the XLSX, escaped in the HTML.
    ['erin', { name: '=2+3 <b>x</b>', blocked: true }],
    ['frank', { name: 'Frank Fine' }],
  ] as const)
    store.putUser(user(id, { ...extra, ...(lastLogin[id] ? { last_login: ago(lastLogin[id]!) } : {}) }));
  const role = async (name: string) => (await api.roles.create({ name })).id!;
  const [admin, billing, ops] = [await role('Tenant Admin'), await role('Billing'), await role(OPS)];
  const assign = (id: string, roles: string[]) => api.users.roles.assign(`auth0|${id}`, { roles });
  await assign('alice', [admin]);
  await assign('bob', [admin, billing]);
  await assign('carol', [billing]);
  await assign('erin', [ops]);
  const acme = (await api.organizations.create({ name: 'acme' })).id!;
  await api.organizations.members.create(acme, { members: ['auth0|alice', 'auth0|bob'] });
  bare = await snapshot(false);
  first = await snapshot(true);

  // Between the snapshots: frank gains Billing, bob loses it and leaves acme, carol joins acme, alice gains the
  // Billing role in acme, dave is deleted, gina arrives as a Tenant Admin who never logged in.
  await assign('frank', [billing]);
  await api.users.roles.delete('auth0|bob', { roles: [billing] });
  await api.organizations.members.delete(acme, { members: ['auth0|bob'] });
  await api.organizations.members.create(acme, { members: ['auth0|carol'] });
  await api.organizations.members.roles.assign(acme, 'auth0|alice', { roles: [billing] });
  store.deleteUser('auth0|dave');
  store.putUser(user('gina', { name: 'Gina New', created_at: ago(2), updated_at: ago(2) }));
  await assign('gina', [admin]);
  second = await snapshot(true);
}, 90_000);
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('the access review report', () => {
  it('writes each section as a sheet of the XLSX: summary, every role’s holders, flags, changes since', async () => {
    const r = await review({ snapshotId: second.id, previousId: first.id, format: 'xlsx' });
    expect(r.status.file!.filename).toMatch(/^Review-access-review-\d{8}-\d{4}\.xlsx$/);
    const book = await sheets(r.path);
    expect(Object.keys(book)).toEqual(['Summary', 'Role holders', 'Flags', 'Changes']);

    const facts = new Map(book.Summary!.slice(1).map((row) => [row[0], row[1]]));
    expect(book.Summary![0]).toEqual(['item', 'value']);
    expect(facts.get('Snapshot')).toBe(second.id);
    expect(facts.get('Users in the snapshot')).toBe(6);
    expect(facts.get('Taken with roles')).toBe('yes');
    expect(facts.get('Previous snapshot')).toMatch(
      new RegExp(`^${first.id}, taken .* \\(6 users; roles: yes`),
    );
    expect(facts.get('Roles reviewed')).toBe('every role held (3 roles)');
    expect([
      facts.get(`Holders of ${OPS}`),
      facts.get('Holders of Billing'),
      facts.get('Holders of Tenant Admin'),
    ]).toEqual([1, 2, 3]);
    expect(facts.get('Accounts holding a reviewed role')).toBe(6);
    expect(
      ['Flagged accounts', 'Inactive', 'Never logged in', 'Email unverified', 'Blocked'].map((k) =>
        facts.get(k),
      ),
    ).toEqual([4, 1, 2, 1, 1]);
    expect(
      [
        'Roles gained',
        'Roles lost',
        'Organizations joined',
        'Organizations left',
        'Organization roles gained or lost',
        'Users added',
        'Users removed',
      ].map((k) => facts.get(k)),
    ).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(r.review.changes).toMatchObject({ gainedRole: 1, lostRole: 1, added: 1, removed: 1, notes: [] });

    const holders = book['Role holders']!;
    expect(holders[0]![0]).toBe('The holders of every role held in this snapshot (3 roles).');
    expect(holders[1]!.every((v) => v === null)).toBe(true);
    expect(holders[2]).toEqual([
      'role',
      'user_id',
      'email',
      'name',
      'last_login',
      'email_verified',
      'blocked',
      'organizations',
    ]);
    // Formula-looking cells get their apostrophe, as in every export.
    expect(holders.slice(3).map((row) => row.filter((_, i) => i !== 4))).toEqual([
      [`'${OPS}`, 'auth0|erin', 'erin@example.com', "'=2+3 <b>x</b>", true, true, null],
      ['Billing', 'auth0|carol', 'carol@example.com', 'Carol Clerk', false, false, 'acme'],
      ['Billing', 'auth0|frank', 'frank@example.com', 'Frank Fine', true, false, null],
      ['Tenant Admin', 'auth0|alice', 'alice@example.com', 'Alice Admin', true, false, 'acme (Billing)'],
      ['Tenant Admin', 'auth0|bob', 'bob@example.com', 'Bob Both', true, false, null],
      ['Tenant Admin', 'auth0|gina', 'gina@example.com', 'Gina New', true, false, null],
    ]);
    expect(holders[3]![4]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(holders[4]![4]).toBeNull(); // carol never logged in

    const flags = book.Flags!;
    expect(flags[2]![0]).toBe('user_id');
    expect(flags.slice(3).map((row) => [row[0], row[3], row[4], row[6]])).toEqual([
      ['auth0|bob', 'inactive 200 days', 'Tenant Admin', 200],
      ['auth0|carol', 'never logged in, email unverified', 'Billing', null],
      ['auth0|erin', 'blocked', `'${OPS}`, 10],
      ['auth0|gina', 'never logged in', 'Tenant Admin', null],
    ]);

    expect(book.Changes!.slice(2)).toEqual([
      ['change', 'user_id', 'email', 'detail'],
      ['gained organization role', 'auth0|alice', 'alice@example.com', 'gained Billing in acme'],
      ['left organization', 'auth0|bob', 'bob@example.com', 'left acme'],
      ['lost role', 'auth0|bob', 'bob@example.com', 'lost role Billing'],
      ['joined organization', 'auth0|carol', 'carol@example.com', 'joined acme'],
      ['user removed', 'auth0|dave', 'dave@example.com', null],
      ['gained role', 'auth0|frank', 'frank@example.com', 'gained role Billing'],
      ['user added', 'auth0|gina', 'gina@example.com', 'holds Tenant Admin'],
    ]);
  });

  it('reviews only the privileged roles chosen on a printable page, escaped, and says who holds none', async () => {
    const r = await review({
      snapshotId: second.id,
      previousId: first.id,
      roles: ['Tenant Admin', 'Nobody'],
      inactiveDays: 2,
      format: 'html',
    });
    const html = readFileSync(r.path, 'utf8');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(/i);
    expect(html).toContain('@media print');
    expect([...html.matchAll(/<h2 id="[^"]+">([^<]+)<\/h2>/g)].map((m) => m[1])).toEqual([
      'Summary',
      'Role holders',
      'Flags',
      'Changes',
    ]);
    expect(html).toContain('No one holds the role “Nobody” in this snapshot');
    expect(r.review.roles).toEqual([
      { name: 'Nobody', holders: 0 },
      { name: 'Tenant Admin', holders: 3 },
    ]);
    const captions = [...html.matchAll(/<caption>([^<]+)<\/caption>/g)].map((m) => m[1]);
    expect(captions).toEqual(['Tenant Admin — 3 holders', 'Flagged accounts', 'Changes']);
    expect(html).toContain('<p class="empty">No one holds this role in the snapshot.</p>');
    const rowsOf = (caption: string) => {
      const table = html.split(`<caption>${caption}</caption>`)[1]!.split('</table>')[0]!;
      return [...table.matchAll(/<tr>(.*?)<\/tr>/g)]
        .slice(1)
        .map((m) => [...m[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((c) => c[1]));
    };
    // Inactive after 2 days: alice (3 days) and bob; gina never logged in. Erin (no privileged role) is not reviewed.
    expect(rowsOf('Flagged accounts').map((row) => [row[0], row[3]])).toEqual([
      ['auth0|alice', 'inactive 3 days'],
      ['auth0|bob', 'inactive 200 days'],
      ['auth0|gina', 'never logged in'],
    ]);
    // Billing is not privileged here: bob losing it, frank gaining it and alice gaining it in acme are left out;
    // joining and leaving organizations, and users added and removed, are not.
    expect(rowsOf('Changes').map((row) => row.slice(0, 2).concat(row[3]!))).toEqual([
      ['left organization', 'auth0|bob', 'left acme'],
      ['joined organization', 'auth0|carol', 'joined acme'],
      ['user removed', 'auth0|dave', ''],
      ['user added', 'auth0|gina', 'holds Tenant Admin'],
    ]);
    expect(r.review.changes).toMatchObject({
      gainedRole: 0,
      lostRole: 0,
      organizationRoles: 0,
      joinedOrganization: 1,
    });
  });

  it('says clearly that a snapshot taken without roles can’t say who holds them, and flags every user', async () => {
    const r = await review({ snapshotId: bare.id, format: 'html' });
    expect(r.review).toMatchObject({ flagScope: 'everyone', holders: 0, roles: [], changes: null });
    expect(r.review.snapshot.withRoles).toBe(false);
    const html = readFileSync(r.path, 'utf8');
    expect(html).toContain('This snapshot was taken without roles: it cannot say who holds which role.');
    expect(html).toContain('This snapshot was taken without roles: there are no role holders to list.');
    expect(html).toContain('No previous snapshot was chosen');
    // Every user's flags: bob inactive, carol never + unverified, dave never + blocked, erin blocked.
    expect(r.review.flags).toEqual({ accounts: 4, inactive: 1, neverLoggedIn: 2, unverified: 1, blocked: 2 });
    expect(html).toContain('=2+3 &lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x</b>');
  });

  it('refuses bad input in words, starting nothing', async () => {
    const before = (await call<TaskSummary[]>('tasks:list', {})).length;
    const refused = async (input: Record<string, unknown>) => {
      const r = await app.router.invoke('reviews:start', {
        reviewId: 'review-refused',
        format: 'xlsx',
        ...input,
      });
      expect(r.ok).toBe(false);
      return r.ok ? null : r.error;
    };
    expect((await refused({ snapshotId: first.id, previousId: first.id }))!.message).toMatch(
      /previous snapshot must be another/i,
    );
    expect((await refused({ snapshotId: first.id, inactiveDays: 0 }))!.message).toMatch(/at least 1/);
    expect((await refused({ snapshotId: first.id, roles: ['  '] }))!.message).toMatch(/role name is empty/);
    expect((await refused({ snapshotId: 'snap_0000000000000000' }))!.code).toBe('not_found');
    expect((await refused({ snapshotId: first.id, format: 'pdf' }))!.code).toBe('validation');
    expect((await call<TaskSummary[]>('tasks:list', {})).length).toBe(before);
  });

  it('is written by the command line too: snapshot review, with its exit codes', async () => {
    const files = mkdtempSync(join(tmpdir(), 'td-review-cli-'));
    const run = async (args: string[]) => {
      const [stdout, stderr] = [new PassThrough(), new PassThrough()];
      let [out, err] = ['', ''];
      stdout.on('data', (d: Buffer) => (out += d.toString()));
      stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await runCli(
        ['--data-dir', dataDir, 'snapshot', 'review', ...args],
        { stdout, stderr, stdin: new PassThrough(), env: {} },
        'test',
      );
      return { code, out, err };
    };
    const output = join(files, 'review.xlsx');
    const ok = await run([
      second.id,
      '--previous',
      first.id,
      '--roles',
      'Billing',
      '--inactive-days',
      '30',
      '--output',
      output,
      '--json',
    ]);
    expect(ok.code, ok.err).toBe(0);
    const doc = JSON.parse(ok.out) as AccessReviewSummary & { output: string };
    expect(doc).toMatchObject({
      output,
      roles: [{ name: 'Billing', holders: 2 }],
      inactiveDays: 30,
      holders: 2,
    });
    const book = await sheets(output);
    expect(book['Role holders']!.slice(3).map((row) => row[1])).toEqual(['auth0|carol', 'auth0|frank']);
    expect(book.Changes!.slice(3).map((row) => row[3])).toContain('gained role Billing');

    const wrongFile = await run([second.id, '--output', join(files, 'review.pdf')]);
    expect(wrongFile).toMatchObject({ code: 2 });
    expect(wrongFile.err).toContain('.xlsx or .html');
    const unknown = await run(['snap_00000000000000ff', '--output', join(files, 'x.html')]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/does not exist/);
    expect(existsSync(join(files, 'x.html'))).toBe(false);
  });

  it('caps each table and each section of the page and says how many more rows the XLSX has', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'td-review-html-')), 'r.html');
    const w = htmlReport(path, { title: 'T', lede: 'L', sections: ['S'] });
    await w.section({ title: 'S', notes: [], columns: [{ header: 'x' }] });
    // 512 rows in the first table (500 shown), then four of 500: the section stops at 2,000 rows shown.
    for (const [table, rows] of [
      ['Many', 512],
      ['B', 500],
      ['C', 500],
      ['D', 500],
      ['E', 500],
    ] as const) {
      await w.table(table, 'none');
      for (let i = 0; i < rows; i++) await w.row([`${table}${i}`]);
    }
    await w.finish();
    const html = readFileSync(path, 'utf8');
    expect(html.match(/<tr><td>/g)).toHaveLength(2000);
    const more = [...html.matchAll(/<p class="more">([\d,]+) more not shown here/g)].map((m) => m[1]);
    expect(more).toEqual(['12', '500']);
    expect(html).toContain('<tr><td>D499</td></tr>');
    // None of E's rows fit: its name stands above its line.
    expect(html).not.toContain('<caption>E</caption>');
    expect(html).toMatch(/<p class="caption">E<\/p>\n<p class="more">500 more/);
    expect(html).toContain(
      '(this page lists at most 500 rows of each table and 2,000 of each section) — the XLSX report has every row.',
    );
  });
});
