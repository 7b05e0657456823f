// Exports and offline snapshots as an auditor uses them: a query's users as XLSX, a whole tenant as CSV with chosen
// columns kept as a snapshot; the tenant changes, a second snapshot; the tenant goes away — and the snapshots still
// open, search, sort and compare offline, with the comparison exported. A file exported elsewhere opens as a
// snapshot too; one that isn't users is refused in words. Every file is read back and checked against the tenant.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Download, Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { startEmulator } from '../../emulator/index.js';
import type { User } from '../../emulator/model.js';
import { expect, test } from './host';
import { addTenantInUi, nav, noSeriousA11yProblems, screens, search, switchTenant } from './support';

async function saved(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync((await (download as Download).path())!);
}

test('exports as XLSX and CSV, snapshots searched and compared with the tenant gone', async ({
  page,
  host,
}) => {
  test.setTimeout(240_000);
  const emu = await startEmulator({ port: 0, users: 1500, seed: 'exports-e2e' });
  let closed = false;
  try {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Use the local tenant' }).click();
    await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
    const admin = emu.clients.find((c) => c.name === 'admin')!;
    await addTenantInUi(page, {
      label: 'Acme audit',
      domain: emu.domain,
      clientId: admin.clientId,
      secret: admin.clientSecret!,
      caCert: emu.caCert,
      environment: 'staging',
    });
    await switchTenant(page, 'Acme audit');
    await nav(page, 'Users');
    const users = () => [...emu.store.users.values()];

    // A query's matches as XLSX.
    const q = 'app_metadata.plan:"pro"';
    await search(page, q);
    const pro = emu.store.index.matchAll(q) as unknown as User[];
    await expect(page.getByRole('status').filter({ hasText: / users$/ })).toHaveText(
      `${pro.length.toLocaleString()} users`,
    );
    await page.getByRole('button', { name: 'Export…' }).click();
    let dialog = page.getByRole('dialog', { name: 'Export users of Acme audit' });
    await expect(dialog.getByRole('radio', { name: /The users matching/ })).toBeChecked();
    await dialog.getByRole('radio', { name: /Excel \(XLSX\)/ }).check();
    await noSeriousA11yProblems(page, 'export dialog');
    await screens(page, 'export-dialog');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const save = dialog.getByRole('button', { name: /^Save .*\.xlsx/ });
    await expect(save).toBeVisible({ timeout: 60_000 });
    await expect(dialog.getByRole('status')).toContainText(
      `Done — ${pro.length.toLocaleString('en')} users read`,
    );
    await screens(page, 'export-done');
    const xlsx = await saved(page, () => save.click());
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Users')!;
    expect(sheet.rowCount).toBe(pro.length + 1);
    const header = (sheet.getRow(1).values as string[]).slice(1);
    expect(header).toEqual([
      'user_id',
      'email',
      'email_verified',
      'name',
      'created_at',
      'last_login',
      'logins_count',
      'blocked',
      'identities[0].connection',
    ]);
    const exportedIds = new Set<string>();
    sheet.eachRow((row, i) => i > 1 && exportedIds.add(row.getCell(1).value as string));
    expect(exportedIds).toEqual(new Set(pro.map((u) => u.user_id)));
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The whole tenant as CSV with chosen columns, kept as a snapshot.
    const exportTenant = async (columns: boolean) => {
      await page.getByRole('button', { name: 'Export…' }).click();
      dialog = page.getByRole('dialog', { name: 'Export users of Acme audit' });
      await dialog.getByRole('radio', { name: 'Every user of the tenant' }).check();
      if (columns) {
        await dialog.getByRole('checkbox', { name: 'last_login', exact: true }).uncheck();
        await dialog.getByRole('checkbox', { name: 'created_at', exact: true }).uncheck();
        await dialog
          .getByRole('textbox', { name: 'Column name for email', exact: true })
          .fill('Email address');
        await dialog.getByRole('textbox', { name: 'Add a metadata field' }).fill('app_metadata.plan');
        await dialog.getByRole('button', { name: 'Add field' }).click();
        await dialog.getByRole('textbox', { name: 'Column name for app_metadata.plan' }).fill('Plan');
      }
      await dialog.getByRole('checkbox', { name: /Keep these users as an offline snapshot/ }).check();
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await expect(dialog.getByRole('button', { name: /^Save .*\.csv/ })).toBeVisible({ timeout: 60_000 });
      await expect(dialog).toContainText('a snapshot keeps whole users');
      return dialog;
    };
    dialog = await exportTenant(true);
    const csv = await saved(page, () => dialog.getByRole('button', { name: /^Save .*\.csv/ }).click());
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      'user_id',
      'Email address',
      'email_verified',
      'name',
      'logins_count',
      'blocked',
      'identities[0].connection',
      'Plan',
    ]);
    expect(rows).toHaveLength(1500);
    const byId = new Map(users().map((u) => [u.user_id, u]));
    for (const r of rows.slice(0, 200))
      expect(r.Plan).toBe(String(byId.get(r.user_id!)!.app_metadata?.plan ?? ''));
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The tenant changes: one user leaves, one arrives, three change plan. A second snapshot.
    const all = users();
    emu.store.deleteUser(all[0]!.user_id);
    emu.store.putUser({
      ...all[1]!,
      user_id: 'auth0|newcomer',
      email: 'newcomer@example.com',
      name: 'New Comer',
    });
    const upgraded = all
      .slice(10)
      .filter((u) => u.app_metadata?.plan !== 'enterprise')
      .slice(0, 3);
    for (const u of upgraded)
      emu.store.putUser({ ...u, app_metadata: { ...u.app_metadata, plan: 'enterprise' } });
    const enterprise = emu.store.index.matchAll('app_metadata.plan:"enterprise"').length;
    dialog = await exportTenant(false);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The tenant goes away; the snapshots don't need it.
    await emu.close();
    closed = true;
    await nav(page, 'Snapshots');
    await expect(page.getByRole('heading', { name: 'Snapshots', level: 1 })).toBeVisible();
    const list = page.locator('table.snapshot-table tbody tr');
    await expect(list).toHaveCount(2);
    await noSeriousA11yProblems(page, 'snapshots');
    await screens(page, 'snapshots-list');
    await list.first().getByRole('button', { name: /^Open/ }).click();
    await expect(page.getByText('Offline', { exact: true })).toBeVisible();
    const box = page.getByRole('textbox', { name: /Search the snapshot/ });
    await box.fill('app_metadata.plan:"enterprise"');
    await box.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: /users? ·/ })).toContainText(
      `${enterprise.toLocaleString('en')} user`,
    );
    // Every user, past any 1,000 cap, sorted by email.
    await box.fill('');
    await box.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: /users ·/ })).toContainText('1,500 users');
    await page.getByRole('button', { name: 'Email', exact: true }).click();
    const sortedEmails = [...all.slice(1).map((u) => u.email ?? ''), 'newcomer@example.com']
      .filter(Boolean)
      .map((e) => e.toLowerCase())
      .sort();
    // The sorted page replaces the unsorted one when its answer arrives.
    const firstRow = page.locator('table.user-table tbody button.link').first();
    await expect.poll(async () => (await firstRow.textContent())?.toLowerCase()).toBe(sortedEmails[0]);
    await page.locator('table.user-table tbody button.link').first().click();
    await expect(page.getByRole('dialog')).toContainText('offline, read-only');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await noSeriousA11yProblems(page, 'snapshot');
    await screens(page, 'snapshot-view');

    // Compare the two: the older before, the newer after.
    await page.getByRole('button', { name: '← All snapshots' }).click();
    const compare = page.getByRole('form', { name: 'Compare two snapshots' });
    await compare.getByRole('button', { name: 'Compare' }).click();
    const counts = page.getByRole('group', { name: 'Kinds of change' });
    await expect(counts.getByRole('button', { name: /Added/ })).toContainText('1');
    await expect(counts.getByRole('button', { name: /Removed/ })).toContainText('1');
    await expect(counts.getByRole('button', { name: /Changed/ })).toContainText('3');
    await page.getByRole('button', { name: /app_metadata\.plan 3/ }).click();
    await expect(page.locator('table.compare-table tbody tr')).toHaveCount(3);
    await expect(page.locator('table.compare-table tbody')).toContainText('"enterprise"');
    await noSeriousA11yProblems(page, 'comparison');
    await screens(page, 'snapshot-compare');
    const changes = parse(
      await saved(page, () => page.getByRole('button', { name: 'Export the changes as CSV' }).click()),
      {
        columns: true,
        bom: true,
      },
    ) as Record<string, string>[];
    expect(changes.map((c) => c.change).sort()).toEqual([
      'added',
      'changed',
      'changed',
      'changed',
      'removed',
    ]);
    expect(changes.find((c) => c.change === 'added')!.user_id).toBe('auth0|newcomer');
    expect(changes.find((c) => c.change === 'removed')!.user_id).toBe(all[0]!.user_id);
  } finally {
    if (!closed) await emu.close();
  }
});

test('a file exported elsewhere opens as a snapshot; a file that isn’t users is refused in words', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Use the local tenant' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await nav(page, 'Snapshots');
  await expect(page.getByText('No snapshot yet.')).toBeVisible();

  const open = async (name: string, buffer: Buffer) => {
    await page.getByRole('button', { name: 'Open a users file…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open a users file as a snapshot' });
    await dialog.getByLabel(/^File/).setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
    await dialog.getByRole('button', { name: 'Open as a snapshot' }).click();
    return dialog;
  };
  const bad = await open('notes.txt', Buffer.from('Dear admin,\nthese are not users.\n'));
  await expect(bad.getByRole('alert')).toContainText('neither JSON nor a CSV with a user_id column');
  await bad.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByText('No snapshot yet.')).toBeVisible();

  const lines = Array.from({ length: 2500 }, (_, i) =>
    JSON.stringify({
      user_id: `auth0|file${i}`,
      email: `person${i}@${i % 2 ? 'acme.example' : 'example.com'}`,
      'identities[0].connection': 'Username-Password-Authentication',
      app_metadata: { region: i % 5 === 0 ? 'eu' : 'us' },
    }),
  ).join('\n');
  const good = await open('tenant-export.json.gz', gzipSync(lines));
  await good.getByRole('button', { name: /Open the snapshot \(2,500 users\)/ }).click();
  const box = page.getByRole('textbox', { name: /Search the snapshot/ });
  await box.fill('email:*@acme.example AND app_metadata.region:eu');
  await box.press('Enter');
  const expected = Array.from({ length: 2500 }, (_, i) => i).filter((i) => i % 2 === 1 && i % 5 === 0).length;
  await expect(page.getByRole('status').filter({ hasText: /users? ·/ })).toContainText(`${expected} users`);
  // A malformed query is refused beside it, the results kept.
  await box.fill('email:(broken');
  await box.press('Enter');
  await expect(page.getByRole('search', { name: 'Search this snapshot' }).getByRole('alert')).toContainText(
    'missing closing parenthesis',
  );
  // The refusal was said where it happened, not in a toast as well.
  await expect(page.locator('.toast')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: /users? ·/ })).toContainText(`${expected} users`);
});
