// Insights over a snapshot with its tenant gone: a tenant's users kept as a snapshot (with their roles), the tenant
// stopped, the charts counted offline — a chart's numbers read in its table view and checked against the tenant as it
// was; a slice opens exactly the users behind it in the snapshot's users table. Looked at in light and dark.
import type { Page } from '@playwright/test';
import { startEmulator } from '../../emulator/index.js';
import type { User } from '../../emulator/model.js';
import { expect, test } from './host';
import { addTenantInUi, nav, noSeriousA11yProblems } from './support';

async function shots(page: Page, name: string) {
  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({
        path: `test-results/screens/${name}-${width}x${height}-${scheme}.png`,
        fullPage: true,
      });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('Insights on a snapshot with the tenant stopped: a chart’s numbers, and a slice opens its users', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const emu = await startEmulator({ port: 0, users: 400, seed: 'insights-e2e' });
  let closed = false;
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(host.url);
    const admin = emu.clients.find((c) => c.name === 'admin')!;
    await addTenantInUi(page, {
      label: 'Acme insights',
      domain: emu.domain,
      clientId: admin.clientId,
      secret: admin.clientSecret!,
      caCert: emu.caCert,
    });
    await nav(page, 'Users');
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export users of Acme insights' });
    await dialog.getByRole('radio', { name: 'Every user of the tenant' }).check();
    await dialog.getByRole('checkbox', { name: /With each user’s roles/ }).check();
    await dialog.getByRole('checkbox', { name: /Keep these users as an offline snapshot/ }).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(dialog.getByRole('button', { name: /^Save / })).toBeVisible({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();

    // What the charts must say, from the tenant as it was; then the tenant goes away.
    const matches = (q: string) => emu.store.index.matchAll(q) as unknown as User[];
    const blocked = matches('blocked:true');
    const verified = matches('email_verified:true').length;
    const unverified = matches('email_verified:false').length;
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked.length).toBeLessThan(40);
    await emu.close();
    closed = true;

    // Its chord: G, then N.
    await page.keyboard.press('g');
    await page.keyboard.press('n');
    await expect(page.getByRole('heading', { name: 'Insights', level: 1 })).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Counted over' })).toHaveValue(/^snapshot:/);
    await expect(page.getByRole('status').filter({ hasText: 'Counted offline' })).not.toContainText(
      'Counting…',
    );
    const card = (title: string) => page.getByRole('region', { name: title });
    await expect(card('Role holders').getByRole('img', { name: /^Role holders: / })).toBeVisible();

    await shots(page, 'insights-charts');

    // The table view of a chart: the same numbers, each a way to its users.
    await card('Email verified').getByRole('button', { name: 'Table' }).click();
    const verifiedTable = card('Email verified').getByRole('table', { name: 'Email verified' });
    await expect(verifiedTable.getByRole('row', { name: /^Verified/ })).toContainText(
      verified.toLocaleString('en'),
    );
    await expect(verifiedTable.getByRole('row', { name: /^Not verified/ })).toContainText(
      unverified.toLocaleString('en'),
    );
    await card('Blocked').getByRole('button', { name: 'Table' }).click();
    await noSeriousA11yProblems(page, 'insights');
    await shots(page, 'insights');

    // A slice's users: exactly the blocked ones, in the snapshot's users table.
    await card('Blocked')
      .getByRole('button', {
        name: `Open the ${blocked.length} user${blocked.length === 1 ? '' : 's'}: Blocked`,
      })
      .click();
    await expect(page.getByRole('textbox', { name: /Search the snapshot/ })).toHaveValue('blocked:true');
    await expect(page.getByRole('status').filter({ hasText: /users? ·/ })).toContainText(
      `${blocked.length} user`,
    );
    const emails = page.locator('table.user-table tbody button.link');
    await expect(emails).toHaveCount(blocked.length);
    expect((await emails.allTextContents()).sort()).toEqual(blocked.map((u) => u.email ?? '').sort());
  } finally {
    if (!closed) await emu.close();
  }
});
