// Roles administration, imports and work across tenants (issue #12), as a user does them: a role created on a
// production tenant with permissions, members added from a query through Bulk edits, the role deleted behind the
// guard; a CSV imported through the mapping step with its refused rows in a table; one query over three tenants
// with one of them down. Each screen checked with axe and photographed at three sizes, light and dark.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { test } from './host';
import {
  addTenantInUi,
  noSeriousA11yProblems,
  localTenantInfo,
  screens,
  switchTenant,
  tenantApi,
  useLocalTenant,
} from './support';

async function confirmGuard(
  page: Page,
  title: RegExp,
  button: string,
  typed?: { domain: string; count?: string },
) {
  const guard = page.getByRole('dialog', { name: title });
  await expect(guard).toBeVisible();
  if (typed) {
    await guard.getByRole('textbox', { name: /Type .* to confirm/ }).fill(typed.domain);
    if (typed.count) await guard.getByRole('textbox', { name: /number of users/ }).fill(typed.count);
  }
  await guard.getByRole('button', { name: button, exact: true }).click();
  await expect(guard).toBeHidden();
}

test('roles: create one with permissions on production, add members from a query, delete it behind the guard', async ({
  page,
  host,
}) => {
  test.setTimeout(240_000);
  await useLocalTenant(page, host.url);
  const info = await localTenantInfo(host.dataDir);
  const api = await tenantApi(info);
  await addTenantInUi(page, { ...info, label: 'Acme production', environment: 'production' });
  await switchTenant(page, 'Acme production');
  await page.keyboard.press('Alt+7');
  await expect(page.getByRole('heading', { name: 'Roles', level: 1 })).toBeVisible();

  await page.getByRole('button', { name: 'Create role…' }).click();
  const form = page.getByRole('dialog', { name: 'Create a role on Acme production' });
  await form.getByRole('textbox', { name: 'Name' }).fill('E2E auditors');
  await form.getByRole('textbox', { name: /Description/ }).fill('Read-only access to reports');
  await form.getByRole('button', { name: 'Create role' }).click();
  await confirmGuard(page, /^Create the role E2E auditors/, 'Create role');
  const detail = page.getByRole('heading', { name: 'E2E auditors', level: 2 });
  await expect(detail).toBeVisible();
  const roles = (await (await api.api('/roles?name_filter=E2E%20auditors')).json()) as { id: string }[];
  expect(roles).toHaveLength(1);
  const roleId = roles[0]!.id;

  // Permissions from the tenant's APIs.
  await page.getByRole('button', { name: 'Add permissions…' }).click();
  const picker = page.getByRole('region', { name: 'Add permissions to E2E auditors' });
  await picker
    .getByRole('combobox', { name: 'API' })
    .selectOption({ label: 'Reports API (https://reports.tenant-desk.local/)' });
  await picker.getByRole('checkbox', { name: /read:reports/ }).check();
  await picker.getByRole('checkbox', { name: /create:reports/ }).check();
  await noSeriousA11yProblems(page, 'roles permission picker');
  await screens(page, 'roles-permissions');
  await picker.getByRole('button', { name: 'Add 2 permissions' }).click();
  await confirmGuard(page, /Add 2 permissions/, 'Add permissions');
  // The dialog closes as the request leaves: the tenant is asked until it has them.
  await expect
    .poll(async () => {
      const list = (await (await api.api(`/roles/${roleId}/permissions`)).json()) as {
        permission_name: string;
      }[];
      return list.map((p) => p.permission_name).sort();
    })
    .toEqual(['create:reports', 'read:reports']);

  // Members from a query, through Bulk edits (preview, guard with the domain and the count).
  const matching = await api.find('email:a*@example.com AND email_verified:true');
  expect(matching.length).toBeGreaterThan(5);
  const total = (await (
    await api.api(
      `/users?q=${encodeURIComponent('email:a*@example.com AND email_verified:true')}&search_engine=v3&per_page=1&include_totals=true`,
    )
  ).json()) as { total: number };
  await page.getByRole('button', { name: 'Add from a query or selection…' }).click();
  const handover = page.getByRole('form', { name: 'Give E2E auditors to many users' });
  await handover.getByRole('radio', { name: /Every user matching a query/ }).check();
  await handover.getByRole('textbox', { name: /Query/ }).fill('email:a*@example.com AND email_verified:true');
  await handover.getByRole('button', { name: 'Continue in Bulk edits…' }).click();
  await expect(page.getByRole('heading', { name: 'Bulk edits', level: 1 })).toBeVisible();
  const bulk = page.getByRole('form', { name: 'New bulk edit' });
  await expect(bulk.getByRole('textbox', { name: /Query/ })).toHaveValue(
    'email:a*@example.com AND email_verified:true',
  );
  await bulk.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByRole('region', { name: 'Preview' });
  const n = total.total.toLocaleString('en');
  await expect(preview.locator('.plan-headline')).toContainText(`${n} of ${n} users will change`, {
    timeout: 60_000,
  });
  await preview.getByRole('button', { name: `Start: change ${n} users…` }).click();
  await confirmGuard(page, new RegExp(`Change ${n} users on Acme production`), `Start: change ${n} users`, {
    domain: info.domain,
    count: String(total.total),
  });
  const jobDetail = page.locator('.job-detail');
  await expect(jobDetail.locator('.job-state')).toHaveText('Completed', { timeout: 150_000 });
  await expect(jobDetail.getByRole('progressbar')).toHaveAttribute('aria-valuenow', String(total.total));

  // Back on the role: its members, read by checkpoint, are those users.
  await page.keyboard.press('Alt+7');
  await page.getByRole('textbox', { name: 'Role name contains' }).fill('E2E');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.getByRole('button', { name: /^E2E auditors/ }).click();
  await expect(
    page.getByText(`${total.total.toLocaleString('en')} user${total.total === 1 ? '' : 's'}`).first(),
  ).toBeVisible();
  const members = (await (
    await api.api(`/roles/${roleId}/users?per_page=1&page=0&include_totals=true`)
  ).json()) as {
    total: number;
  };
  expect(members.total).toBe(total.total);
  await noSeriousA11yProblems(page, 'roles with members');
  await screens(page, 'roles-detail');

  // Delete: the member count shown, the domain typed back (a wrong one is refused).
  await page.getByRole('button', { name: 'Delete…' }).click();
  const guard = page.getByRole('dialog', { name: /Delete/ });
  await expect(guard).toContainText(total.total.toLocaleString('en'));
  const go = guard.getByRole('button', { name: 'Delete role', exact: true });
  await guard.getByRole('textbox', { name: /Type .* to confirm/ }).fill('wrong.example.com');
  await expect(go).toBeDisabled();
  await noSeriousA11yProblems(page, 'roles delete guard');
  await screens(page, 'roles-delete-guard');
  await guard.getByRole('textbox', { name: /Type .* to confirm/ }).fill(info.domain);
  await go.click();
  await expect(guard).toBeHidden();
  await expect.poll(async () => (await api.api(`/roles/${roleId}`)).status).toBe(404);
});

test('imports: a CSV through the mapping step, its refused rows in a table', async ({ page, host }) => {
  test.setTimeout(180_000);
  await useLocalTenant(page, host.url);
  const info = await localTenantInfo(host.dataDir);
  const api = await tenantApi(info);
  // Five users that already exist: Auth0 refuses them without upsert.
  const existing = (await api.find('identities.connection:"Username-Password-Authentication"')).slice(0, 5);
  const rows = [
    'E-mail,First name,Last name,Plan,Team',
    ...Array.from({ length: 40 }, (_, i) => `e2e.import${i}@example.net,Ada${i},Import,gold,Blue`),
    ...existing.map((u) => `${String(u.email)},Old,User,free,Red`),
  ];
  const file = join(host.dataDir, 'people.csv');
  writeFileSync(file, rows.join('\n'));

  await page.keyboard.press('Alt+8');
  await expect(page.getByRole('heading', { name: 'Imports', level: 1 })).toBeVisible();
  await page.getByLabel(/^File/).setInputFiles(file);
  await expect(page.getByRole('heading', { name: 'The file, checked' })).toBeVisible();
  // Plan and Team match no field: named, and nothing can start.
  await expect(page.getByText(/Column 4 "Plan" matches no import field/)).toBeVisible();
  await page.getByRole('combobox', { name: 'Column Plan goes to' }).selectOption('user_metadata.');
  const key = page.getByRole('textbox', { name: 'Key' });
  await key.fill('plan');
  await key.press('Enter');
  await page.getByRole('combobox', { name: 'Column Team goes to' }).selectOption('');
  await expect(page.getByText(/matches no import field/)).toHaveCount(0);
  await noSeriousA11yProblems(page, 'imports mapping');
  await screens(page, 'imports-mapping');
  await page.getByRole('checkbox', { name: /upsert/ }).check();
  await expect(page.getByText(/does not merge/)).toBeVisible();
  await page.getByRole('checkbox', { name: /upsert/ }).uncheck();
  await page.getByRole('button', { name: /^Start: import 45 users/ }).click();
  await confirmGuard(page, /Import 45 users/, 'Start: import 45 users');

  await expect(page.getByText('Completed').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByLabel('Totals')).toContainText('40');
  const refused = page.getByRole('table').filter({ hasText: 'DUPLICATED_USER' });
  await expect(refused.getByRole('row')).toHaveCount(6);
  // Each refused row with its line of the file (the header is line 1; they follow the 40 new users).
  for (const [i, u] of existing.entries())
    await expect(refused.getByRole('row').filter({ hasText: String(u.email) })).toContainText(String(42 + i));
  const imported = await api.find('email:"e2e.import7@example.net"');
  expect(imported[0]).toMatchObject({ given_name: 'Ada7', user_metadata: { plan: 'gold' } });
  await noSeriousA11yProblems(page, 'imports done');
  await screens(page, 'imports-done');
});

test('cross-tenant: one query over three tenants, one of them down', async ({ page, host }) => {
  test.setTimeout(180_000);
  await useLocalTenant(page, host.url);
  const info = await localTenantInfo(host.dataDir);
  await addTenantInUi(page, { ...info, label: 'Acme production', environment: 'production' });
  await addTenantInUi(page, { ...info, label: 'Gone tenant', domain: '127.0.0.1:9', environment: 'staging' });
  await page.keyboard.press('Alt+9');
  await expect(page.getByRole('heading', { name: 'Cross-tenant', level: 1 })).toBeVisible();
  const form = page.getByRole('search', { name: 'Search several tenants' });
  for (const label of ['Local tenant', 'Acme production', 'Gone tenant'])
    await form.getByRole('checkbox', { name: new RegExp(label) }).check();
  await form.getByRole('textbox', { name: /Search query/ }).fill('email_verified:false');
  await form.getByRole('button', { name: /^Search/ }).click();
  const statuses = page.getByRole('list', { name: "Each tenant's answer" });
  await expect(statuses.getByRole('listitem').filter({ hasText: 'Gone tenant' })).toContainText(/fail/i, {
    timeout: 60_000,
  });
  await expect(statuses.getByRole('listitem').filter({ hasText: 'Local tenant' })).toContainText(
    /\d+ users?/,
  );
  await expect(statuses.getByRole('listitem').filter({ hasText: 'Acme production' })).toContainText(
    /\d+ users?/,
  );
  const table = page.getByTestId('cross-results');
  await expect(table).toContainText('Local tenant');
  await expect(table).toContainText('Acme production');
  await expect(page.getByRole('status').filter({ hasText: /shown from 2 of 3 tenants/ })).toBeVisible();
  await noSeriousA11yProblems(page, 'cross-tenant search');
  await screens(page, 'cross-tenant-search');

  // Two profiles of the local tenant compared by email: every user in both, none different.
  await page.getByRole('button', { name: 'Compare two tenants' }).click();
  const compare = page.getByRole('form', { name: 'Compare two tenants' });
  await compare
    .getByRole('combobox', { name: 'Tenant A' })
    .selectOption({ label: `Local tenant (${info.domain})` });
  await compare
    .getByRole('combobox', { name: 'Tenant B' })
    .selectOption({ label: `Acme production (${info.domain})` });
  await compare.getByRole('button', { name: /^Compare/ }).click();
  await expect(
    page.getByRole('heading', { name: /Local tenant and Acme production, users matched by email/ }),
  ).toBeVisible({
    timeout: 90_000,
  });
  await noSeriousA11yProblems(page, 'cross-tenant compare');
  await screens(page, 'cross-tenant-compare');
});
