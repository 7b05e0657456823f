// Bulk edits as an admin does them: 25 users ticked in the results (a Shift-click range), previewed, run, exported and
// undone on the local tenant; then every one of 1,500 users matching a query (past Auth0's 1,000-result search cap)
// on a production-tagged, rate-limited tenant: the count typed back, progress, pause, resume, cancel, the results
// CSV, and undo of what was done. Each outcome is checked on the tenant itself, not through the app.
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { startEmulator } from '../../emulator/index.js';
import { expect, startHost, stopHost, test } from './host';
import {
  addTenantInUi,
  localTenantInfo,
  nav,
  noSeriousA11yProblems,
  screens,
  search,
  switchTenant,
  tenantApi,
} from './support';

async function csvOf(download: Download): Promise<Record<string, string>[]> {
  return parse(readFileSync((await download.path())!, 'utf8'), { columns: true }) as Record<string, string>[];
}

/** Numbers from the job's counts, as shown. */
async function counts(page: Page) {
  const detail = page.locator('.job-detail');
  const read = async (label: string) => {
    const dd = detail
      .locator('.job-counts div')
      .filter({ has: page.locator(`dt:text-is("${label}")`) })
      .locator('dd');
    return Number((await dd.textContent())!.replace(/,/g, ''));
  };
  return { done: await read('Done'), remaining: await read('Remaining'), failed: await read('Failed') };
}

test('25 users ticked in the results: preview, run, results CSV, undo that spares a user changed since', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Use the local tenant' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  const info = await localTenantInfo(host.dataDir);
  const api = await tenantApi(info);

  await search(page, 'identities.connection:"Username-Password-Authentication"');
  const tableRows = page.locator('table.user-table tbody tr[aria-rowindex]');
  // One tick on the first row, then Shift-click the 25th (the table renders only the rows in view: scroll to it).
  await tableRows.first().getByRole('checkbox').click();
  await page.locator('.table-scroller').evaluate((el) => (el.scrollTop = 20 * 36));
  await page
    .locator('table.user-table tbody tr[aria-rowindex="26"]')
    .getByRole('checkbox')
    .click({ modifiers: ['Shift'] });
  const bar = page.getByRole('region', { name: 'Selection for a bulk edit' });
  await expect(bar).toContainText('25 selected');
  await expect(page.locator('tr[aria-rowindex="27"]').getByRole('checkbox')).not.toBeChecked();
  await expect(page.locator('tr[aria-rowindex="20"]').getByRole('checkbox')).toBeChecked();
  await noSeriousA11yProblems(page, 'selection');
  await screens(page, 'bulk-selection');
  await bar.getByRole('button', { name: 'Bulk edit 25 selected…' }).click();

  // The change: an app_metadata key set, one removed.
  await expect(page.getByRole('heading', { name: 'Bulk edits', level: 1 })).toBeVisible();
  const form = page.getByRole('form', { name: 'New bulk edit' });
  await expect(form.getByRole('radio', { name: /The 25 users selected/ })).toBeChecked();
  await form.getByRole('combobox', { name: 'Change' }).selectOption('metadata');
  const setBox = form.getByRole('textbox', { name: /Keys to set/ });
  await setBox.fill('{"cohort": "spring"');
  await expect(form.getByRole('alert')).toContainText('not valid JSON');
  await expect(form.getByRole('button', { name: 'Preview' })).toBeDisabled();
  await setBox.fill('{"cohort": "spring"}');
  await form.getByRole('textbox', { name: /Keys to remove/ }).fill('customer_id');
  await form.getByRole('button', { name: 'Preview' }).click();

  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview.locator('.plan-headline')).toContainText('25 of 25 users will change');
  // The users picked, as the plan lists them (25 to a page), each on the tenant with the query's connection.
  const planIds = preview.locator('table.plan-table tbody tr td:first-child .muted');
  await expect(planIds).toHaveCount(25);
  const ids = (await planIds.allInnerTexts()).map((t) => t.trim());
  expect(new Set(ids).size).toBe(25);
  for (const id of ids)
    expect(((await api.getUser(id)).identities as { connection: string }[])[0]!.connection).toBe(
      'Username-Password-Authentication',
    );
  // Before → after for each user.
  const firstRow = preview.locator('table.plan-table tbody tr').first();
  await expect(firstRow.locator('td').nth(1)).toContainText(/customer_id "cus_/);
  await expect(firstRow.locator('td').nth(1)).toContainText('cohort none');
  await expect(firstRow.locator('td').nth(2)).toContainText('cohort "spring"');
  await expect(firstRow.locator('td').nth(2)).toContainText('customer_id none');
  await noSeriousA11yProblems(page, 'bulk preview');
  await screens(page, 'bulk-preview');

  // A development tenant still confirms a bulk edit.
  await preview.getByRole('button', { name: 'Start: change 25 users…' }).click();
  const guard = page.getByRole('dialog', { name: /Change 25 users on Local tenant/ });
  await guard.getByRole('button', { name: 'Start: change 25 users' }).click();
  const detail = page.locator('.job-detail');
  await expect(detail.locator('.job-state')).toHaveText('Completed', { timeout: 30_000 });
  await expect(detail.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');
  expect((await counts(page)).done).toBe(25);
  for (const id of ids) {
    const u = await api.getUser(id);
    expect((u.app_metadata as Record<string, unknown>).cohort).toBe('spring');
    expect((u.app_metadata as Record<string, unknown>).customer_id).toBeUndefined();
  }
  await noSeriousA11yProblems(page, 'job');
  await screens(page, 'bulk-job-done');

  // Results as CSV: one row per user, each done.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    detail.getByRole('button', { name: 'Export results as CSV' }).click(),
  ]);
  const rows = await csvOf(download);
  expect(rows.map((r) => r.user_id).sort()).toEqual([...ids].sort());
  expect(rows.every((r) => r.outcome === 'done')).toBe(true);
  expect(JSON.parse(rows[0]!.after!)).toMatchObject({ cohort: 'spring' });

  // Someone changes one of them meanwhile; the undo leaves that user alone and says so.
  const changed = ids[3]!;
  const res = await api.api(`/users/${encodeURIComponent(changed)}`, 'PATCH', {
    app_metadata: { cohort: 'by-hand' },
  });
  expect(res.status).toBe(200);
  await detail.getByRole('button', { name: 'Undo…' }).click();
  await expect(preview.locator('.plan-headline')).toContainText('24 of 25 users will change');
  await expect(preview).toContainText(/changed since/i);
  await screens(page, 'bulk-undo-preview');
  await preview.getByRole('button', { name: 'Start: change 24 users…' }).click();
  await page
    .getByRole('dialog', { name: /Change 24 users/ })
    .getByRole('button', { name: 'Start: change 24 users' })
    .click();
  // The undo job's own detail (the first job's "Completed" may still be on screen for a moment).
  await expect(detail).toContainText('undo: set app_metadata.cohort', { timeout: 30_000 });
  await expect(detail.locator('.job-state')).toHaveText('Completed', { timeout: 30_000 });
  for (const id of ids) {
    const meta = (await api.getUser(id)).app_metadata as Record<string, unknown>;
    if (id === changed) expect(meta.cohort).toBe('by-hand');
    else {
      expect(meta.cohort).toBeUndefined();
      expect(typeof meta.customer_id).toBe('string');
    }
  }
  // The jobs list keeps both, the undo marked as such.
  const list = page.getByRole('region', { name: 'Jobs on this tenant' }).locator('.job-list li');
  await expect(list).toHaveCount(2);
  await expect(list.first()).toContainText('undo');
});

test('1,500 users by query on a production tenant: count typed back, pause, resume, cancel, CSV, undo', async ({
  page,
  host,
}) => {
  test.setTimeout(240_000);
  // A tenant that answers at 40 requests a second, like a paid Auth0 plan: a 1,500-user job takes a while.
  const prod = await startEmulator({
    port: 0,
    users: 1500,
    seed: 'bulk-prod',
    rateLimit: { rps: 40, burst: 40 },
  });
  try {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Use the local tenant' }).click();
    await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
    const admin = prod.clients.find((c) => c.name === 'admin')!;
    await addTenantInUi(page, {
      label: 'Acme production',
      domain: prod.domain,
      clientId: admin.clientId,
      secret: admin.clientSecret!,
      caCert: prod.caCert,
      environment: 'production',
    });
    await switchTenant(page, 'Acme production');
    await nav(page, 'Users');
    await search(page, 'email:*');
    await expect(page.getByRole('status').filter({ hasText: / users$/ })).toContainText('1,500');
    await page
      .getByRole('region', { name: 'Selection for a bulk edit' })
      .getByRole('button', { name: 'Select all 1,500 matching this query…' })
      .click();

    const form = page.getByRole('form', { name: 'New bulk edit' });
    await expect(form.getByRole('radio', { name: /Every user matching a query/ })).toBeChecked();
    await expect(form.getByRole('textbox', { name: /Query/ })).toHaveValue('email:*');
    await form.getByRole('combobox', { name: 'Change' }).selectOption('metadata');
    await form.getByRole('textbox', { name: /Keys to set/ }).fill('{"migrated": true}');
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect(preview.locator('.plan-headline')).toContainText('1,500 of 1,500 users will change', {
      timeout: 60_000,
    });
    await expect(preview).toContainText('found through a users export');

    // Production: the domain and the count are typed back; a wrong count keeps the button disabled.
    await preview.getByRole('button', { name: 'Start: change 1,500 users…' }).click();
    const guard = page.getByRole('dialog', { name: /Change 1,500 users on Acme production/ });
    await guard.getByRole('textbox', { name: /Type .* to confirm/ }).fill(prod.domain);
    const countBox = guard.getByRole('textbox', { name: /number of users/ });
    await countBox.fill('1499');
    const go = guard.getByRole('button', { name: 'Start: change 1,500 users' });
    await expect(go).toBeDisabled();
    await expect(guard).toContainText('That is not the number of users this changes.');
    await noSeriousA11yProblems(page, 'bulk production guard');
    await screens(page, 'bulk-production-guard');
    await countBox.fill('1,500'); // as it is shown
    await go.click();

    // Progress moves; pause holds it still; resume moves it again.
    const detail = page.locator('.job-detail');
    const bar = detail.getByRole('progressbar');
    await expect(detail.locator('.job-state')).toHaveText('Running');
    await expect.poll(async () => (await counts(page)).done, { timeout: 30_000 }).toBeGreaterThan(100);
    await expect(detail).toContainText('req/s');
    await expect(detail).toContainText(/Time left.*about/s);
    await screens(page, 'bulk-job-running');
    await detail.getByRole('button', { name: 'Pause' }).click();
    await expect(detail.locator('.job-state')).toContainText('Paused');
    await page.waitForTimeout(1_000); // requests already sent come back
    const paused = await counts(page);
    await page.waitForTimeout(2_000);
    expect(await counts(page)).toEqual(paused);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBe(paused.done);
    await noSeriousA11yProblems(page, 'paused job');
    await detail.getByRole('button', { name: 'Resume' }).click();
    await expect(detail.locator('.job-state')).toHaveText('Running');
    await expect
      .poll(async () => (await counts(page)).done, { timeout: 30_000 })
      .toBeGreaterThan(paused.done + 100);
    await detail.getByRole('button', { name: 'Cancel the rest' }).click();
    await expect(detail.locator('.job-state')).toContainText('Cancelled');
    const final = await counts(page);
    expect(final.remaining).toBe(0);
    const cancelled = Number(
      (await detail
        .locator('.job-counts div')
        .filter({ hasText: 'Cancelled' })
        .locator('dd')
        .textContent())!.replace(/,/g, ''),
    );
    expect(final.done + cancelled).toBe(1500);
    await expect(bar).toHaveAttribute('aria-valuenow', String(final.done));
    expect(final.done).toBeLessThan(1500);
    expect(final.failed).toBe(0);

    // The tenant holds exactly the users the job says it changed.
    const migrated = [...prod.store.users.values()].filter((u) => u.app_metadata?.migrated === true);
    expect(migrated.length).toBe(final.done);
    await screens(page, 'bulk-job-cancelled');

    // The results CSV: done for the changed users, cancelled for the rest.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      detail.getByRole('button', { name: 'Export results as CSV' }).click(),
    ]);
    const rows = await csvOf(download);
    expect(rows.length).toBe(1500);
    expect(rows.filter((r) => r.outcome === 'done').length).toBe(final.done);
    expect(rows.filter((r) => r.outcome === 'cancelled').length).toBe(1500 - final.done);

    // The outcome table filters by state.
    await detail.getByRole('combobox', { name: 'Show' }).selectOption('cancelled');
    await expect(detail.locator('table.plan-table tbody tr').first()).toContainText('Cancelled');

    // Undo what was done (typed back again: it is a production tenant).
    await detail.getByRole('button', { name: 'Undo…' }).click();
    const n = final.done.toLocaleString('en');
    await expect(preview.locator('.plan-headline')).toContainText(`${n} of ${n} users will change`, {
      timeout: 30_000,
    });
    await preview.getByRole('button', { name: `Start: change ${n} users…` }).click();
    const undoGuard = page.getByRole('dialog', { name: new RegExp(`Change ${n} users`) });
    await undoGuard.getByRole('textbox', { name: /Type .* to confirm/ }).fill(prod.domain);
    await undoGuard.getByRole('textbox', { name: /number of users/ }).fill(String(final.done));
    await undoGuard.getByRole('button', { name: `Start: change ${n} users` }).click();
    await expect(detail.locator('.job-state')).toHaveText('Completed', { timeout: 120_000 });
    expect([...prod.store.users.values()].filter((u) => u.app_metadata?.migrated !== undefined)).toEqual([]);
  } finally {
    await prod.close();
  }
});

test('a job killed with Tenant Desk is offered for resume on the next start, and finishes each user once', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const staging = await startEmulator({
    port: 0,
    users: 600,
    seed: 'bulk-crash',
    rateLimit: { rps: 40, burst: 40 },
  });
  let host = await startHost();
  const dataDir = host.dataDir;
  try {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Use the local tenant' }).click();
    await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
    const admin = staging.clients.find((c) => c.name === 'admin')!;
    await addTenantInUi(page, {
      label: 'Acme staging',
      domain: staging.domain,
      clientId: admin.clientId,
      secret: admin.clientSecret!,
      caCert: staging.caCert,
      environment: 'staging',
    });
    await switchTenant(page, 'Acme staging');
    await nav(page, 'Bulk edits');
    const form = page.getByRole('form', { name: 'New bulk edit' });
    await form.getByRole('radio', { name: /Every user matching a query/ }).check();
    await form.getByRole('textbox', { name: /Query/ }).fill('');
    await form.getByRole('textbox', { name: /Keys to set/ }).fill('{"wave": 2}');
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect(preview.locator('.plan-headline')).toContainText('600 of 600 users will change', {
      timeout: 60_000,
    });
    await preview.getByRole('button', { name: 'Start: change 600 users…' }).click();
    await page
      .getByRole('dialog', { name: /Change 600 users on Acme staging/ })
      .getByRole('button', { name: 'Start: change 600 users' })
      .click();
    await expect.poll(async () => (await counts(page)).done, { timeout: 30_000 }).toBeGreaterThan(100);

    // Killed mid-job, as a crash or a power cut would.
    await stopHost(host.child, 'SIGKILL');
    const atKill = staging.store.appliedWrites.size;
    expect(atKill).toBeLessThan(600);
    host = await startHost(dataDir);
    await page.goto(host.url);
    const banner = page.getByRole('region', { name: 'Interrupted work' });
    await expect(banner).toContainText('Bulk edit on Acme staging was interrupted');
    await noSeriousA11yProblems(page, 'interrupted banner');
    await screens(page, 'bulk-interrupted');
    await banner.getByRole('button', { name: 'Review and resume' }).click();
    const detail = page.locator('.job-detail');
    await expect(detail.locator('.job-state')).toContainText('Interrupted');
    await expect(page.getByLabel('Active tenant')).toContainText('Acme staging');
    await detail.getByRole('button', { name: 'Resume' }).click();
    await expect(detail.locator('.job-state')).toHaveText('Completed', { timeout: 60_000 });
    await expect(banner).toHaveCount(0);
    expect(await counts(page)).toMatchObject({ done: 600, failed: 0, remaining: 0 });

    // The job is one task among all long work: the Tasks screen (G then K) lists it, ended, with its results.
    await page.locator('body').press('g');
    await page.locator('body').press('k');
    await expect(page.getByRole('heading', { name: 'Tasks', level: 1 })).toBeVisible();
    const row = page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').filter({ hasText: 'wave' });
    await expect(row).toContainText('Completed');
    await expect(row).toContainText('600 of 600 users');
    await expect(row.getByRole('button', { name: 'Results as CSV' })).toBeVisible();
    await noSeriousA11yProblems(page, 'tasks');
    await screens(page, 'tasks');

    // Every user changed, each exactly once (counted by the tenant).
    const writes = [...staging.store.appliedWrites.values()];
    expect(writes.length).toBe(600);
    expect(writes.filter((n) => n !== 1)).toEqual([]);
    expect([...staging.store.users.values()].filter((u) => u.app_metadata?.wave !== 2)).toEqual([]);
  } finally {
    await stopHost(host.child);
    await staging.close();
  }
});
