// The rough edges a day at the support desk met, each shown fixed as an agent meets it (with screenshots at
// 1280×800 and 1920×1080, light and dark): a stale edit offers Reload (4); one key per tenant (6); the user panel and
// the table share the width (7); a bulk job's roles by name, its duration and pace (8); Alt+Shift+L shows its link
// (9); a failed export says what failed, with Retry (10); sizes in honest units (12). 1 and 2 (a restarted tenant
// under a tail and a search), 3 (a weak password) and 11 (the audit's labels and filters) are in support-desk.spec.ts
// and trust-across-tenants.spec.ts; 5 (the tenant form) in first-run.spec.ts and support-desk.spec.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startEmulator } from '../../emulator/index.js';
import { expect, test } from './host';
import {
  addTenantInUi,
  localTenantInfo,
  nav,
  noSeriousA11yProblems,
  screens,
  search,
  tenantApi,
  useLocalTenant,
} from './support';

const activeTenant = (page: Page) => page.getByLabel('Active tenant');

test('the rough edges of a support day, each fixed', async ({ page, host }) => {
  test.setTimeout(240_000);
  const other = await startEmulator({ port: 0, users: 30, seed: 'rough-edges' });
  try {
    await useLocalTenant(page, host.url);
    const info = await localTenantInfo(host.dataDir);
    const api = await tenantApi(info);
    const admin = other.clients.find((c) => c.name === 'admin')!;
    await addTenantInUi(page, {
      label: 'Acme staging',
      domain: other.domain,
      clientId: admin.clientId,
      secret: admin.clientSecret!,
      caCert: other.caCert,
      environment: 'staging',
    });

    // 6. One key per tenant: Ctrl+1…9 in the tenants screen's order, Ctrl+` back to the one before.
    await page.keyboard.press('Control+2');
    await expect(activeTenant(page)).toContainText('Acme staging');
    await page.keyboard.press('Control+1');
    await expect(activeTenant(page)).toContainText('Local tenant');
    await page.keyboard.press('Control+Backquote');
    await expect(activeTenant(page)).toContainText('Acme staging');
    await page.keyboard.press('Control+Backquote');
    await expect(activeTenant(page)).toContainText('Local tenant');
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toContainText('Acme staging');
    await expect(help).toContainText('Ctrl');
    await noSeriousA11yProblems(page, 'shortcuts with tenant keys');
    await screens(page, 'edges-tenant-keys');
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();

    // 7. The panel and the table share the width at 1280, and the columns fill 1920.
    await nav(page, 'Users');
    await search(page, 'identities.connection:"Username-Password-Authentication"');
    await page.locator('table.user-table tbody button.link').first().click();
    const detail = page.getByRole('complementary');
    await expect(detail.getByRole('heading', { name: 'Profile' })).toBeVisible();
    const userId = (await detail.locator('.detail-head .muted').textContent())!;
    await page.setViewportSize({ width: 1280, height: 800 });
    const next = page.getByRole('button', { name: 'Next', exact: true });
    const previous = page.getByRole('button', { name: 'Previous', exact: true });
    // Next stays on the line of Previous: it does not wrap alone.
    const [n, p] = [(await next.boundingBox())!, (await previous.boundingBox())!];
    expect(Math.abs(n.y - p.y)).toBeLessThan(4);
    const query = page.getByRole('textbox', { name: /Search query/ });
    expect((await query.boundingBox())!.width).toBeGreaterThan(200);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await detail.getByRole('button', { name: 'Close user detail' }).click();
    const table = page.locator('table.user-table');
    const wrap = (await table.locator('xpath=..').boundingBox())!;
    expect((await table.boundingBox())!.width).toBeGreaterThan(wrap.width - 24);
    await screens(page, 'edges-users-wide');
    await page.locator('table.user-table tbody button.link').first().click();
    await expect(detail.getByRole('heading', { name: 'Profile' })).toBeVisible();
    await screens(page, 'edges-users-with-panel');

    // 9. Alt+Shift+L makes the link where it is seen: the password section in view, the link focused.
    await page.keyboard.press('Alt+Shift+L');
    const link = detail.getByRole('textbox', { name: /Password-change link/ });
    await expect(link).toBeFocused();
    await expect(link).toBeInViewport();
    await expect(link).toHaveValue(/^https:\/\//);
    await screens(page, 'edges-password-link-key');

    // 4. A stale edit: someone changed the user meanwhile. Refused beside the form, with Reload; the edit is kept.
    const box = detail.getByRole('textbox', { name: 'User metadata (JSON)' });
    await box.fill('{"desk_note": "called on Tuesday"}');
    await api.api(`/users/${encodeURIComponent(userId)}`, 'PATCH', { user_metadata: { elsewhere: true } });
    await detail.getByRole('button', { name: 'Review changes to user metadata' }).click();
    await detail.getByRole('button', { name: 'Save user metadata' }).click();
    const reload = detail.getByRole('button', { name: 'Reload user' });
    await expect(reload).toBeVisible();
    await expect(reload).toBeInViewport();
    await expect(page.locator('.toast').filter({ hasText: /changed/ })).toHaveCount(0);
    await noSeriousA11yProblems(page, 'stale edit');
    await screens(page, 'edges-stale-edit');
    await reload.click();
    await expect(detail.getByText(/your edits are kept/)).toBeVisible();
    await expect(box).toHaveValue(/desk_note/);
    await expect(box).toHaveValue(/elsewhere/);
    // Still unsaved: closing the panel asks first.
    await detail.getByRole('button', { name: 'Close user detail' }).click();
    await page
      .getByRole('dialog', { name: 'Discard unsaved edits?' })
      .getByRole('button', { name: 'Discard edits' })
      .click();
    await expect(detail).toHaveCount(0);

    // 10. A failed export says what failed, and Retry runs it again.
    await api.faults([{ method: 'POST', path: '^/api/v2/jobs/users-exports$', status: 500, times: 50 }]);
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: /Export users of Local tenant/ });
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(dialog).toContainText('The export failed', { timeout: 90_000 });
    await expect(dialog).not.toContainText('Auth0 exported every user');
    await noSeriousA11yProblems(page, 'failed export');
    await screens(page, 'edges-export-failed');
    await api.faults([]);
    await dialog.getByRole('button', { name: 'Retry export' }).click();
    await expect(dialog.getByRole('button', { name: /^Save / })).toBeVisible({ timeout: 90_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();

    // 8. A bulk job's roles by name (never rol_…), and once finished how long it took and its pace.
    await search(page, 'identities.connection:"Username-Password-Authentication"');
    const boxes = page.locator('table.user-table tbody input[type="checkbox"]');
    for (let i = 0; i < 3; i++) await boxes.nth(i).check();
    await page.getByRole('button', { name: 'Bulk edit 3 selected…' }).click();
    const form = page.getByRole('form', { name: 'New bulk edit' });
    await form.getByRole('combobox', { name: 'Change' }).selectOption('roles');
    await form.getByLabel(/Find a role/).fill('Support');
    await form.getByLabel(/Find a role/).press('Enter');
    const role = form
      .getByRole('list', { name: 'Matching roles' })
      .getByRole('button', { name: /^Add role/ });
    await role.first().click();
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect(preview.locator('.plan-headline')).toContainText('users will change');
    await expect(preview).not.toContainText('rol_');
    await preview.getByRole('button', { name: /^Start: change \d users…$/ }).click();
    const go = page.getByRole('dialog').getByRole('button', { name: /^Start: change \d users$/ });
    if (await go.isVisible()) await go.click();
    const job = page.locator('.job-detail');
    await expect(job.locator('.job-state')).toHaveText('Completed', { timeout: 60_000 });
    await expect(job).toContainText(/finished .* took /);
    await expect(job).not.toContainText('rol_');
    await screens(page, 'edges-bulk-roles-done');

    // 12. Sizes in honest units: a 170-byte file is 170 bytes, and its chunks are not "0".
    const file = join(host.dataDir, 'two.csv');
    const text =
      'email,name\nfirst.person@example.net,First Person\nsecond.person@example.net,Second Person\n';
    writeFileSync(file, text.padEnd(170, '\n'));
    await nav(page, 'Imports');
    await page.getByLabel(/^File/).setInputFiles(file);
    await expect(page.getByRole('heading', { name: 'The file, checked' })).toBeVisible();
    await expect(page.locator('main')).toContainText('170 bytes');
    await expect(page.locator('main')).not.toContainText('0.1 MB');
    await expect(page.getByTestId('import-chunks')).toHaveText(/^1\b/);
    await noSeriousA11yProblems(page, 'import sizes');
    await screens(page, 'edges-import-sizes');
  } finally {
    await other.close();
  }
});
