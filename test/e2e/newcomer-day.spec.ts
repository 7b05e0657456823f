// A newcomer's day, through the browser host against the local tenant: search, open a user, edit metadata with the
// diff shown, assign a role, password-change link, reset email, block and unblock, delete with the production
// guard, and the audit view showing each write. Then a support desk's grant, whose missing scopes disable controls.
import { startEmulator } from '../../emulator/index.js';
import { expect, test } from './host';
import { noSeriousA11yProblems, localTenantInfo, search, switchTenant, tenantApi } from './support';

test('a newcomer\u2019s day on the local tenant', async ({ page, host }) => {
  test.setTimeout(180_000);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Use the local tenant' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  const info = await localTenantInfo(host.dataDir);
  const api = await tenantApi(info);

  // Search with Auth0's syntax, then a metadata query.
  await page.keyboard.press('/');
  await expect(page.getByRole('textbox', { name: /Search query/ })).toBeFocused();
  await search(page, 'email:*@example.com');
  await expect(page.getByRole('status').filter({ hasText: / users$/ })).toBeVisible();
  await expect(page.locator('table.user-table tbody button.link').first()).toBeVisible();
  await noSeriousA11yProblems(page, 'search');
  await page.screenshot({ path: 'test-results/screens/search.png' });
  await search(page, 'app_metadata.plan:"pro" AND email_verified:true');
  const status = page.getByRole('status').filter({ hasText: / users?$/ });
  await expect(status).not.toHaveText('0 users');
  // A malformed query shows Auth0's message next to it and keeps the previous results.
  const before = await status.textContent();
  await search(page, 'name:(broken');
  await expect(page.locator('#query-problem').getByRole('alert')).toContainText(
    'missing closing parenthesis',
  );
  await expect(status).toHaveText(before!);
  await expect(page.locator('table.user-table tbody button.link').first()).toBeVisible();

  // Quick filters compose into the query and show it.
  await page.getByRole('textbox', { name: /Search query/ }).fill('');
  await page.getByRole('button', { name: /Filters/ }).click();
  await page.getByRole('combobox', { name: 'Connection' }).selectOption('Username-Password-Authentication');
  await page.getByRole('combobox', { name: 'Blocked' }).selectOption('false');
  await expect(page.getByTestId('composed-query')).toHaveText(
    'identities.connection:Username-Password-Authentication AND NOT blocked:true',
  );
  await page.getByRole('button', { name: 'Search', exact: true }).click();

  // Create a user: database connections only, the password rules shown, a generated password.
  await page.getByRole('button', { name: 'Create user' }).click();
  const create = page.getByRole('dialog', { name: /Create a user on Local tenant/ });
  await expect(create.getByRole('combobox', { name: 'Connection' })).toHaveValue(
    'Username-Password-Authentication',
  );
  await expect(create.getByRole('combobox', { name: 'Connection' }).getByRole('option')).toHaveCount(1);
  await expect(create.getByText(/At least 8 characters, 3 of 4 kinds/)).toBeVisible();
  await create.getByRole('textbox', { name: 'Email' }).fill('new.colleague@example.net');
  await create.getByRole('button', { name: 'Generate password' }).click();
  await noSeriousA11yProblems(page, 'create user');
  await create.getByRole('button', { name: 'Create user' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Created new.colleague@example.net' }),
  ).toBeVisible();
  await expect(
    page.getByRole('complementary').getByText('new.colleague@example.net (not verified)'),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Close user detail' }).click();

  // Open a user.
  await page.locator('table.user-table tbody button.link').first().click();
  const detail = page.getByRole('complementary');
  await expect(detail.getByRole('heading', { name: 'Profile' })).toBeVisible();
  const userId = (await detail.locator('.detail-head .muted').textContent())!;
  await expect(detail.getByRole('heading', { name: 'Log events' })).toBeVisible();
  await noSeriousA11yProblems(page, 'user detail');
  await page.screenshot({ path: 'test-results/screens/user-detail.png' });

  // Edit app_metadata: the diff is shown, only changed keys are sent, the tenant merges them.
  const original = (await api.getUser(userId)).app_metadata as Record<string, unknown>;
  const edited = { ...original, tier: 'gold' } as Record<string, unknown>;
  delete edited.customer_id;
  await detail.getByRole('textbox', { name: 'App metadata (JSON)' }).fill(JSON.stringify(edited, null, 2));
  await detail.getByRole('button', { name: 'Review changes to app metadata' }).click();
  const diff = detail.getByRole('group', { name: 'Changes to app metadata' });
  await expect(diff.getByRole('row', { name: /tier/ })).toContainText('"gold"');
  await expect(diff.getByRole('row', { name: /customer_id/ })).toContainText('removed (null)');
  await expect(diff.getByRole('row')).toHaveCount(3); // header + the two changed keys only
  await page.screenshot({ path: 'test-results/screens/metadata-diff.png' });
  await diff.getByRole('button', { name: 'Save app metadata' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'App metadata saved' })).toBeVisible();
  const merged = (await api.getUser(userId)).app_metadata as Record<string, unknown>;
  expect(merged).toEqual({
    ...Object.fromEntries(Object.entries(original).filter(([k]) => k !== 'customer_id')),
    tier: 'gold',
  });

  // Invalid JSON is refused before anything is sent.
  await detail.getByRole('textbox', { name: 'User metadata (JSON)' }).fill('{"theme": ');
  await expect(detail.getByText(/Not valid JSON/)).toBeVisible();
  await expect(detail.getByRole('button', { name: 'Review changes to user metadata' })).toBeDisabled();

  // Assign a role found among all of the tenant's roles.
  await detail.getByRole('textbox', { name: /Find a role/ }).fill('Auditor');
  await detail.getByRole('button', { name: 'Find roles' }).click();
  await detail.getByRole('button', { name: 'Assign role Auditor', exact: true }).click();
  await expect(detail.getByRole('button', { name: 'Remove role Auditor', exact: true })).toBeVisible();

  // Password: a ticket link, then the reset email (seen in the local tenant's outbox).
  await detail.getByRole('button', { name: 'Create password-change link' }).click();
  await expect(detail.getByRole('textbox', { name: /Password-change link/ })).toHaveValue(
    /\/u\/reset-password\?ticket=/,
  );
  await detail.getByRole('button', { name: 'Send reset email' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Reset email sent to/ })).toBeVisible();
  const email = (await api.getUser(userId)).email as string;
  expect((await api.outbox()).filter((m) => m.to === email && m.type === 'reset_email')).toHaveLength(1);

  // Block, then unblock.
  await detail.getByRole('button', { name: 'Block user' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Block user' }).click();
  await expect(detail.getByText('This user is blocked')).toBeVisible();
  expect((await api.getUser(userId)).blocked).toBe(true);
  await detail.getByRole('button', { name: 'Unblock user' }).click();
  await expect(detail.getByText('This user is blocked')).toHaveCount(0);
  expect((await api.getUser(userId)).blocked).toBe(false);
  await detail.getByRole('button', { name: 'Close user detail' }).click();

  // A production-tagged tenant: delete asks for the domain typed back.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Tenants' }).click();
  await page.getByRole('button', { name: 'Add a tenant' }).click();
  const form = page.getByRole('form', { name: 'Add a tenant' });
  await form.getByLabel('Label').fill('Local (production tag)');
  await form.getByLabel('Domain').fill(info.domain);
  await form.getByLabel('Client ID').fill(info.clientId);
  await form.locator('input[name="secret"]').fill(info.secret);
  await form.getByLabel('Environment').selectOption('production');
  await form.getByText('Advanced').click();
  await form.getByLabel(/CA certificate/).fill(info.caCert);
  await noSeriousA11yProblems(page, 'add tenant');
  await form.getByRole('button', { name: 'Add tenant' }).click();
  await expect(page.getByRole('listitem', { name: 'Tenant Local (production tag)' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/tenants-two.png', fullPage: true });

  await switchTenant(page, 'production');
  await expect(page.getByLabel('Active tenant')).toContainText('Local (production tag)');
  await expect(page.getByLabel('Active tenant')).toContainText('Production');
  await search(page, `user_id:"${userId}"`);
  await page.locator('table.user-table tbody button.link').first().click();
  await detail.getByRole('button', { name: 'Delete user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this user?' });
  const confirm = dialog.getByRole('button', { name: 'Delete user' });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole('textbox', { name: /to confirm/ }).fill('not-the-domain');
  await expect(confirm).toBeDisabled();
  await noSeriousA11yProblems(page, 'production guard');
  await page.screenshot({ path: 'test-results/screens/production-guard.png' });
  await dialog.getByRole('textbox', { name: /to confirm/ }).fill(info.domain);
  await confirm.click();
  await expect(page.getByRole('status').filter({ hasText: 'User deleted' })).toBeVisible();
  expect((await api.getUser(userId)).statusCode).toBe(404);

  // The audit view shows each write.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Audit log' }).click();
  const audit = page.getByRole('table');
  for (const action of [
    'user.update-app-metadata',
    'user.assign-roles',
    'user.password-ticket',
    'user.reset-email',
    'user.block',
    'user.unblock',
    'user.delete',
  ])
    await expect(audit.getByRole('cell', { name: action, exact: true }).first()).toBeVisible();
  await noSeriousA11yProblems(page, 'audit');
  await page.screenshot({ path: 'test-results/screens/audit.png', fullPage: true });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/^tenant-desk-audit-\d{4}-\d{2}-\d{2}\.csv$/);
});

test('the support desk\u2019s grant: what it lacks is disabled, with the missing scope named', async ({
  page,
  host,
}) => {
  const emu = await startEmulator({ port: 0, users: 30, seed: 'support-e2e' });
  try {
    const support = emu.clients.find((c) => c.name === 'support-desk')!;
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Add a tenant' }).click();
    const form = page.getByRole('form', { name: 'Add a tenant' });
    await form.getByLabel('Label').fill('Support desk');
    await form.getByLabel('Domain').fill(emu.domain);
    await form.getByLabel('Client ID').fill(support.clientId);
    await form.locator('input[name="secret"]').fill(support.clientSecret!);
    await form.getByText('Advanced').click();
    await form.getByLabel(/CA certificate/).fill(emu.caCert);
    await form.getByRole('button', { name: 'Add tenant' }).click();
    await page
      .getByRole('listitem', { name: 'Tenant Support desk' })
      .getByRole('button', { name: 'Open users' })
      .click();
    await expect(page.getByRole('button', { name: 'Create user' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Create user' })).toHaveAttribute('title', /create:users/);
    await search(page, 'email:*@example.com');
    await page.locator('table.user-table tbody button.link').first().click();
    const detail = page.getByRole('complementary');
    await expect(detail.getByRole('button', { name: 'Delete user' })).toBeDisabled();
    await expect(detail.getByRole('button', { name: 'Delete user' })).toHaveAttribute(
      'title',
      /delete:users/,
    );
    await expect(detail.getByRole('button', { name: 'Reset MFA' })).toBeDisabled();
    // What it can't read says so, naming the scope — never an empty list or "Loading…" forever.
    await expect(
      detail.getByText(/does not allow reading MFA factors \(it lacks read:authentication_methods\)/),
    ).toBeVisible();
    await expect(
      detail.getByText(/does not allow reading this user's roles \(it lacks read:role_members\)/),
    ).toBeVisible();
    // What the grant allows stays enabled.
    await expect(
      detail
        .getByRole('button', { name: 'Send reset email' })
        .or(detail.getByText(/password is managed there/)),
    ).toBeVisible();
    await noSeriousA11yProblems(page, 'support desk detail');
    await page.screenshot({ path: 'test-results/screens/support-desk.png' });
  } finally {
    await emu.close();
  }
});
