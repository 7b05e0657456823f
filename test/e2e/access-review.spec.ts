// The access review report (#24) from the window: a hand-made tenant snapshotted twice with roles (by the command
// line, on the same data directory), then on the Snapshots screen "Review report…" — the dialog checked with axe and
// photographed — writes a printable page, which is saved, opened in the browser and read section by section (axe
// again, photographed light and dark); the palette's entry opens the dialog again for the XLSX, read with exceljs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Download, Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { startEmulator } from '../../emulator/index.js';
import type { User } from '../../emulator/model.js';
import { runCli } from '../../main/cli/program.js';
import { expect, startHost, stopHost, test } from './host';
import { noSeriousA11yProblems } from './support';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

async function cli(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  let [out, err] = ['', ''];
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(
    ['--data-dir', dataDir, ...args],
    { stdout, stderr, stdin: new PassThrough(), env },
    'e2e',
  );
  expect(code, err).toBe(0);
  return out;
}

async function saved(page: Page, click: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  // Kept under the name it was offered with (a page is opened as HTML by its extension).
  const d = download as Download;
  const path = join(mkdtempSync(join(tmpdir(), 'td-review-saved-')), d.suggestedFilename());
  await d.saveAs(path);
  return path;
}

/** Light and dark, at the two sizes the issue names, into test-results/screens/. */
async function photograph(page: Page, name: string, fullPage = false): Promise<void> {
  for (const [w, h] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `test-results/screens/${name}-${w}x${h}-${scheme}.png`, fullPage });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('an access review report made from the window, saved, opened and read section by section', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const emu = await startEmulator({ port: 0, users: 0, seed: 'access-review-e2e' });
  const dataDir = mkdtempSync(join(tmpdir(), 'td-review-e2e-'));
  let host: Awaited<ReturnType<typeof startHost>> | null = null;
  try {
    // The hand-made tenant: four users, two roles.
    const store = emu.store;
    const user = (id: string, fields: Partial<User>): User => ({
      user_id: `auth0|${id}`,
      email: `${id}@example.com`,
      email_verified: true,
      created_at: ago(300),
      updated_at: ago(300),
      identities: [
        { connection: 'Username-Password-Authentication', user_id: id, provider: 'auth0', isSocial: false },
      ],
      ...fields,
    });
    store.putUser(user('alice', { name: 'Alice Admin', last_login: ago(2) }));
    store.putUser(user('bob', { name: 'Bob <Old>', last_login: ago(200) }));
    store.putUser(user('carol', { name: 'Carol Clerk', email_verified: false }));
    store.putUser(user('dave', { name: 'Dave Nobody', last_login: ago(1) }));
    const admin = 'rol_TenantAdmin0001';
    const billing = 'rol_Billing00000001';
    store.roles.set(admin, { id: admin, name: 'Tenant Admin', description: 'Tenant Admin' });
    store.roles.set(billing, { id: billing, name: 'Billing', description: 'Billing' });
    store.roleUsers.set(admin, new Set(['auth0|alice', 'auth0|bob']));
    store.roleUsers.set(billing, new Set(['auth0|carol']));

    const caFile = join(dataDir, 'ca.pem');
    writeFileSync(caFile, emu.caCert);
    const adminClient = emu.clients.find((c) => c.name === 'admin')!;
    const env = { TENANT_DESK_CLIENT_SECRET: adminClient.clientSecret! };
    await cli(
      dataDir,
      [
        'tenants',
        'add',
        '--label',
        'Review',
        '--domain',
        emu.domain,
        '--client-id',
        adminClient.clientId,
        '--ca-file',
        caFile,
        '--environment',
        'staging',
      ],
      env,
    );
    await cli(dataDir, ['snapshot', 'take', '--tenant', 'Review', '--roles'], env);
    // Between the snapshots: carol becomes a Tenant Admin; erin arrives with Billing.
    store.roleUsers.set(admin, new Set(['auth0|alice', 'auth0|bob', 'auth0|carol']));
    store.putUser(user('erin', { name: 'Erin New', created_at: ago(1), updated_at: ago(1) }));
    store.roleUsers.set(billing, new Set(['auth0|carol', 'auth0|erin']));
    // A second later, so the newest snapshot is the second one.
    await new Promise((r) => setTimeout(r, 1100));
    await cli(dataDir, ['snapshot', 'take', '--tenant', 'Review', '--roles'], env);

    host = await startHost(dataDir);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(host.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Snapshots' }).click();
    await expect(page.locator('table.snapshot-table tbody tr')).toHaveCount(2);
    await page.getByRole('button', { name: 'Review report…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Access review report' });
    await expect(dialog.getByLabel('Snapshot to review')).toHaveValue(/^snap_/);
    // The previous snapshot of the same tenant is offered by default.
    await expect(dialog.getByLabel('Changes since (a previous snapshot)')).not.toHaveValue('');
    await dialog.getByLabel(/Inactive after/).fill('30');
    await dialog.getByRole('radio', { name: /Printable page/ }).check();
    await noSeriousA11yProblems(page, 'review dialog');
    await photograph(page, 'review-dialog');
    await dialog.getByRole('button', { name: 'Make the report' }).click();
    const save = dialog.getByRole('button', { name: /^Save Review-access-review-.*\.html/ });
    await expect(save).toBeVisible({ timeout: 20_000 });
    await expect(dialog).toContainText(
      '3 flagged accounts: 1 inactive, 2 never logged in, 1 unverified, 0 blocked',
    );
    await photograph(page, 'review-done');
    const htmlPath = await saved(page, () => save.click());
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The page, opened as a reader would open the saved file.
    const report = await context.newPage();
    await report.setViewportSize({ width: 1280, height: 800 });
    await report.goto(`file://${htmlPath}`);
    await expect(report.getByRole('heading', { level: 2 })).toHaveText([
      'Summary',
      'Role holders',
      'Flags',
      'Changes',
    ]);
    const rows = async (caption: string) =>
      report
        .locator('table', { has: report.locator('caption', { hasText: caption }) })
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
    const holders = (await rows('Tenant Admin — 3 holders')).map((r) => r.slice(0, 3));
    expect(holders).toEqual([
      ['auth0|alice', 'alice@example.com', 'Alice Admin'],
      ['auth0|bob', 'bob@example.com', 'Bob <Old>'],
      ['auth0|carol', 'carol@example.com', 'Carol Clerk'],
    ]);
    expect((await rows('Billing — 2 holders')).map((r) => r[0])).toEqual(['auth0|carol', 'auth0|erin']);
    expect((await rows('Flagged accounts')).map((r) => [r[0], r[3]])).toEqual([
      ['auth0|bob', 'inactive 200 days'],
      ['auth0|carol', 'never logged in, email unverified'],
      ['auth0|erin', 'never logged in'],
    ]);
    expect(await rows('Changes')).toEqual([
      ['gained role', 'auth0|carol', 'carol@example.com', 'gained role Tenant Admin'],
      ['user added', 'auth0|erin', 'erin@example.com', 'holds Billing'],
    ]);
    await expect(report.getByRole('row', { name: /Inactive means/ })).toContainText(
      'no login in the 30 days',
    );
    await noSeriousA11yProblems(report, 'review report page');
    await photograph(report, 'review-report', true);
    // As it prints (black on white, a section per page): the PDF a reader gets from the browser's print.
    await report.emulateMedia({ media: 'print' });
    await report.screenshot({ path: 'test-results/screens/review-report-print.png', fullPage: true });
    await report.pdf({
      path: 'test-results/screens/review-report.pdf',
      landscape: true,
      printBackground: true,
    });
    await report.close();

    // The palette's entry (Alt+Shift+A) opens the dialog again: the same report as XLSX.
    await page.keyboard.press('Alt+Shift+A');
    await dialog.getByRole('radio', { name: /XLSX/ }).check();
    await dialog.getByRole('button', { name: 'Make the report' }).click();
    const saveXlsx = dialog.getByRole('button', { name: /^Save .*\.xlsx/ });
    await expect(saveXlsx).toBeVisible({ timeout: 20_000 });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(await saved(page, () => saveXlsx.click())) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Summary', 'Role holders', 'Flags', 'Changes']);
    const values = (sheet: string) =>
      book
        .getWorksheet(sheet)!
        .getSheetValues()
        .slice(1)
        .map((r) => ((r as unknown[] | undefined) ?? []).slice(1));
    expect(
      values('Role holders')
        .slice(3)
        .map((r) => [r[0], r[1]]),
    ).toEqual([
      ['Billing', 'auth0|carol'],
      ['Billing', 'auth0|erin'],
      ['Tenant Admin', 'auth0|alice'],
      ['Tenant Admin', 'auth0|bob'],
      ['Tenant Admin', 'auth0|carol'],
    ]);
    // The default 90 days: bob is still inactive.
    expect(
      values('Flags')
        .slice(3)
        .map((r) => r[0]),
    ).toEqual(['auth0|bob', 'auth0|carol', 'auth0|erin']);
    expect(
      values('Changes')
        .slice(3)
        .map((r) => r[3]),
    ).toEqual(['gained role Tenant Admin', 'holds Billing']);
  } finally {
    if (host) await stopHost(host.child);
    await emu.close();
  }
});
