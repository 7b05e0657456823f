// Trust across tenants, as an admin of several tenants meets each finding of the review: a user panel and a slow
// answer when switching tenant, the local tenant across a restart and a crash, every write on a production tenant,
// honest failure states, and profile edits verified on the tenant.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startEmulator } from '../../emulator/index.js';
import { expect, startHost, stopHost, test } from './host';
import {
  addTenantInUi,
  noSeriousA11yProblems,
  localTenantInfo,
  screens,
  search,
  switchTenant,
  tenantApi,
  useLocalTenant,
} from './support';

async function openUser(page: Page, userId: string) {
  await search(page, `user_id:"${userId}"`);
  // The first row of the new results, not of the last search's still on screen: clicked until its user opens.
  const detail = page.getByRole('complementary');
  await expect(async () => {
    await page.locator('table.user-table tbody button.link').first().click();
    await expect(detail.locator('.detail-head .muted')).toHaveText(userId, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(detail.getByRole('heading', { name: 'Profile' })).toBeVisible();
  return detail;
}

const activeTenant = (page: Page) => page.getByLabel('Active tenant');

test('switching tenant closes the old tenant\u2019s user, asks about unsaved edits, and drops a late answer', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const slow = await startEmulator({ port: 0, users: 40, seed: 'slow-tenant', latencyMs: 1500 });
  try {
    await useLocalTenant(page, host.url);
    const info = await localTenantInfo(host.dataDir);
    const admin = slow.clients.find((c) => c.name === 'admin')!;
    await addTenantInUi(page, {
      label: 'Slow tenant',
      domain: slow.domain,
      clientId: admin.clientId,
      secret: admin.clientSecret!,
      caCert: slow.caCert,
      environment: 'staging',
    });

    // On the local tenant: a query, an open user, and an unsaved edit of its metadata.
    await switchTenant(page, 'Local tenant');
    await expect(activeTenant(page)).toContainText('Local tenant');
    await search(page, 'email:*@example.com');
    await page.locator('table.user-table tbody button.link').first().click();
    const detail = page.getByRole('complementary');
    await expect(detail.getByTestId('tenant-badge')).toContainText(info.domain);
    const localUser = (await detail.locator('.detail-head .muted').textContent())!;
    await detail.getByRole('textbox', { name: 'User metadata (JSON)' }).fill('{"draft": true}');

    // Switching asks first, and "Keep editing" (focused: the safe choice) keeps everything as it was.
    await switchTenant(page, 'Slow tenant');
    const ask = page.getByRole('dialog', { name: 'Discard unsaved edits?' });
    await expect(ask).toContainText('switch to Slow tenant');
    await expect(ask.getByRole('button', { name: 'Keep editing' })).toBeFocused();
    await noSeriousA11yProblems(page, 'discard edits');
    await screens(page, 'discard-edits');
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await expect(activeTenant(page)).toContainText('Local tenant');
    await expect(detail.getByRole('textbox', { name: 'User metadata (JSON)' })).toHaveValue(
      '{"draft": true}',
    );
    await switchTenant(page, 'Slow tenant');
    await ask.getByRole('button', { name: 'Discard edits' }).click();
    await expect(activeTenant(page)).toContainText('Slow tenant');
    await expect(page.getByRole('complementary')).toHaveCount(0);

    // On the slow tenant: open a user, and switch away before its answer (1.5 s) arrives.
    await search(page, 'email:*@example.com');
    await expect(page.locator('table.user-table tbody button.link').first()).toBeVisible({ timeout: 20_000 });
    const slowEmails = [...slow.store.users.values()].map((u) => u.email!).filter(Boolean);
    await page.locator('table.user-table tbody button.link').first().click();
    await switchTenant(page, 'Local tenant');
    await expect(activeTenant(page)).toContainText('Local tenant');
    await page.waitForTimeout(4_000); // the slow tenant has answered by now
    await expect(page.getByRole('complementary')).toHaveCount(0);
    const text = await page.locator('main').innerText();
    expect(slowEmails.filter((e) => text.includes(e))).toEqual([]);
    // The local tenant kept its own query and results.
    await expect(page.getByRole('textbox', { name: /Search query/ })).toHaveValue('email:*@example.com');

    // A write from the panel now reaches the local tenant, for the local user — the audit says so.
    const again = await openUser(page, localUser);
    await again.getByRole('button', { name: 'Forget remembered browsers' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'Remembered browsers forgotten (Local tenant)' }),
    ).toBeVisible();
    await again.getByRole('button', { name: 'Close user detail' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Audit log' }).click();
    const row = page.getByRole('row').filter({ hasText: 'user.invalidate-remember-browser' }).first();
    await expect(row).toContainText(info.domain);
    await expect(row).toContainText(localUser);
  } finally {
    await slow.close();
  }
});

test('the local tenant comes back after a restart and a crash, and can be started again from the tenants screen', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const first = await startHost();
  const dataDir = first.dataDir;
  let second: Awaited<ReturnType<typeof startHost>> | undefined;
  try {
    await useLocalTenant(page, first.url);
    const info = await localTenantInfo(dataDir);
    const api = await tenantApi(info);
    const user = (await api.find('identities.connection:"Username-Password-Authentication"'))[0]!;
    const detail = await openUser(page, user.user_id as string);
    await detail.getByRole('textbox', { name: 'User metadata (JSON)' }).fill('{"survives": "the crash"}');
    await detail.getByRole('button', { name: 'Review changes to user metadata' }).click();
    await detail.getByRole('button', { name: 'Save user metadata' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'User metadata saved' })).toBeVisible();

    // The app dies (kill -9): its local tenant sees it go, saves, and stops.
    await stopHost(first.child, 'SIGKILL');
    second = await startHost(dataDir);
    await page.goto(second.url);
    // The app opens on the screen used last (Users); the tenants screen tells about the local tenant.
    await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Tenants' }).click();
    const card = page.getByRole('listitem', { name: 'Tenant Local tenant' });
    await expect(card.getByRole('status').filter({ hasText: 'Local tenant · running' })).toBeVisible({
      timeout: 30_000,
    });
    // Same port, so the profile still points at it.
    const profile = JSON.parse(readFileSync(join(dataDir, 'tenants.json'), 'utf8')) as {
      tenants: { domain: string }[];
    };
    expect(profile.tenants[0]!.domain).toBe(info.domain);
    await card.getByRole('button', { name: 'Open users' }).click();
    const reopened = await openUser(page, user.user_id as string);
    await expect(reopened.getByRole('textbox', { name: 'User metadata (JSON)' })).toHaveValue(
      /"survives": "the crash"/,
    );

    // The local tenant's own process dies: the tenants screen says so and starts it again.
    await reopened.getByRole('button', { name: 'Close user detail' }).click();
    const pid = execSync(`pgrep -f "emulator/cli.ts.*${dataDir}"`).toString().trim().split('\n')[0]!;
    process.kill(Number(pid), 'SIGKILL');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Tenants' }).click();
    await expect(card.getByRole('status').filter({ hasText: 'Local tenant · stopped' })).toBeVisible();
    await expect(card.getByText('The local tenant stopped unexpectedly (killed by SIGKILL).')).toBeVisible();
    await noSeriousA11yProblems(page, 'local tenant stopped');
    await screens(page, 'local-tenant-stopped');
    await card.getByRole('button', { name: 'Start the local tenant' }).click();
    await expect(card.getByRole('status').filter({ hasText: 'Local tenant · running' })).toBeVisible({
      timeout: 30_000,
    });
    await card.getByRole('button', { name: 'Open users' }).click();
    await search(page, 'email:*@example.com');
    await expect(page.locator('table.user-table tbody button.link').first()).toBeVisible();
  } finally {
    if (second) await stopHost(second.child);
    await stopHost(first.child);
  }
});

test('on a production tenant every write asks first, and destructive ones and a tag change want the domain', async ({
  page,
  host,
}) => {
  test.setTimeout(150_000);
  await useLocalTenant(page, host.url);
  const info = await localTenantInfo(host.dataDir);
  const api = await tenantApi(info);
  await addTenantInUi(page, { ...info, label: 'Local (production)', environment: 'production' });
  await switchTenant(page, 'Local (production)');
  await expect(activeTenant(page)).toContainText('Production');
  const rolesOf = async (id: string) =>
    ((await (await api.api(`/users/${encodeURIComponent(id)}/roles`)).json()) as { name: string }[]).map(
      (r) => r.name,
    );
  // A database user who doesn't hold the Owner role yet.
  let user: Record<string, unknown> | undefined;
  for (const candidate of await api.find(
    'identities.connection:"Username-Password-Authentication" AND email_verified:true',
  ))
    if (!(await rolesOf(candidate.user_id as string)).includes('Owner')) {
      user = candidate;
      break;
    }
  const userId = user!.user_id as string;
  const roles = () => rolesOf(userId);
  const detail = await openUser(page, userId);
  // The guard's dialog (it may open over another one, like the create-user dialog).
  const guard = page.locator('dialog.guard-dialog');
  const confirmIn = async (title: string, button: string) => {
    await expect(guard).toHaveAccessibleName(title);
    await expect(guard.getByTestId('tenant-badge')).toContainText('Local (production)');
    await expect(guard.getByRole('note')).toContainText('is a production tenant');
    await expect(guard.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await guard.getByRole('button', { name: button }).click();
    await expect(guard).toHaveCount(0);
  };

  // Assigning a role: cancelled, nothing sent; confirmed, assigned.
  await detail.getByRole('textbox', { name: /Find a role/ }).fill('Owner');
  await detail.getByRole('button', { name: 'Find roles' }).click();
  await detail.getByRole('button', { name: 'Assign role Owner', exact: true }).click();
  await expect(guard).toHaveAccessibleName('Assign the role Owner?');
  await noSeriousA11yProblems(page, 'guard confirm');
  await screens(page, 'guard-confirm');
  await guard.getByRole('button', { name: 'Cancel' }).click();
  expect(await roles()).not.toContain('Owner');
  await detail.getByRole('button', { name: 'Assign role Owner', exact: true }).click();
  await confirmIn('Assign the role Owner?', 'Assign role');
  await expect(detail.getByRole('button', { name: 'Remove role Owner', exact: true })).toBeVisible();
  expect(await roles()).toContain('Owner');

  // Saving app_metadata.
  const app = (user!.app_metadata ?? {}) as Record<string, unknown>;
  await detail
    .getByRole('textbox', { name: 'App metadata (JSON)' })
    .fill(JSON.stringify({ ...app, is_admin: true }));
  await detail.getByRole('button', { name: 'Review changes to app metadata' }).click();
  await detail.getByRole('button', { name: 'Save app metadata' }).click();
  await confirmIn('Save app metadata on Local (production)?', 'Save app metadata');
  await expect.poll(async () => (await api.getUser(userId)).app_metadata).toMatchObject({ is_admin: true });

  // Sending a reset email, and a password-change link.
  await detail.getByRole('button', { name: 'Send reset email' }).click();
  await confirmIn('Send a password reset email?', 'Send email');
  await expect
    .poll(
      async () => (await api.outbox()).filter((m) => m.to === user!.email && m.type === 'reset_email').length,
    )
    .toBe(1);
  await detail.getByRole('button', { name: 'Create password-change link' }).click();
  await confirmIn('Create a password-change link?', 'Create link');
  await expect(detail.getByRole('textbox', { name: /Password-change link/ })).toHaveValue(/ticket=/);

  // Blocking wants the domain typed back.
  await detail.getByRole('button', { name: 'Block user' }).click();
  await expect(guard).toHaveAccessibleName('Block this user?');
  const block = guard.getByRole('button', { name: 'Block user' });
  await expect(block).toBeDisabled();
  await expect(guard.getByRole('textbox', { name: /to confirm/ })).toBeFocused();
  await guard.getByRole('textbox', { name: /to confirm/ }).fill('wrong.example.com');
  await expect(block).toBeDisabled();
  await noSeriousA11yProblems(page, 'guard typed domain');
  await screens(page, 'guard-typed-domain');
  await guard.getByRole('textbox', { name: /to confirm/ }).fill(info.domain);
  await block.click();
  await expect(detail.getByText('This user is blocked')).toBeVisible();
  expect((await api.getUser(userId)).blocked).toBe(true);
  await detail.getByRole('button', { name: 'Close user detail' }).click();

  // Creating a user.
  await page.getByRole('button', { name: 'Create user' }).click();
  const create = page.getByRole('dialog', { name: /Create a user on Local \(production\)/ });
  await expect(create.getByTestId('tenant-badge')).toContainText('Production');
  await create.getByRole('textbox', { name: 'Email' }).fill('guarded.create@example.net');
  await create.getByRole('button', { name: 'Generate password' }).click();
  await create.getByRole('button', { name: 'Create user' }).click();
  await confirmIn('Create this user?', 'Create user');
  await expect.poll(async () => (await api.find('email:"guarded.create@example.net"')).length).toBe(1);
  // The new user opens in the panel, on the tenant it was created on.
  await expect(detail.getByTestId('tenant-badge')).toContainText('Local (production)');
  await detail.getByRole('button', { name: 'Close user detail' }).click();

  // Changing the tag from Production to Development would remove the guard itself: the domain, typed back.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Tenants' }).click();
  const card = page.getByRole('listitem', { name: 'Tenant Local (production)' });
  await card.getByRole('button', { name: 'Edit' }).click();
  const form = card.getByRole('form', { name: 'Edit Local (production)' });
  await form.getByLabel('Environment').selectOption('development');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(guard).toHaveAccessibleName('Change Local (production)?');
  await expect(guard).toContainText('Environment: production → development');
  await expect(guard.getByRole('button', { name: 'Save changes' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(card.locator('.tenant-head .env-tag')).toHaveText('Production');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await guard.getByRole('textbox', { name: /to confirm/ }).fill(info.domain);
  await guard.getByRole('button', { name: 'Save changes' }).click();
  await expect(card.locator('.tenant-head .env-tag')).toHaveText('Development');
});

test('failures are said in words with a retry: a 5xx, a tenant that is down, a grant lacking a scope, a bad field', async ({
  page,
  host,
}) => {
  test.setTimeout(150_000);
  await useLocalTenant(page, host.url);
  const info = await localTenantInfo(host.dataDir);
  const api = await tenantApi(info);
  const user = (await api.find('identities.connection:"Username-Password-Authentication"'))[0]!;

  // 5xx: the user's log events fail (past every retry); the section says so, and Retry brings them.
  await api.faults([{ method: 'GET', path: '^/api/v2/users/[^/]+/logs$', status: 503, times: 6 }]);
  const detail = await openUser(page, user.user_id as string);
  const logs = detail.getByRole('region', { name: 'Log events' });
  await expect(logs.getByText('Could not load log events.')).toBeVisible({ timeout: 30_000 });
  await expect(logs.getByRole('alert')).toContainText('The tenant had a problem (503)');
  await logs.scrollIntoViewIfNeeded();
  await noSeriousA11yProblems(page, 'section failed');
  await screens(page, 'section-failed');
  await logs.getByRole('button', { name: 'Retry loading log events' }).click();
  await expect(logs.getByText('Could not load log events.')).toHaveCount(0);
  await expect(
    logs
      .getByRole('columnheader', { name: 'Description' })
      .or(logs.getByText('No log events for this user.')),
  ).toBeVisible();

  // A password the connection's policy refuses is named beside the field, in the policy's words, before anything is
  // asked or sent.
  await detail.getByRole('button', { name: 'Close user detail' }).click();
  await page.getByRole('button', { name: 'Create user' }).click();
  const create = page.getByRole('dialog', { name: /Create a user on Local tenant/ });
  await create.getByRole('textbox', { name: 'Email' }).fill('weak.password@example.net');
  await create.getByLabel('Password', { exact: true }).fill('weak');
  await create.getByRole('button', { name: 'Create user' }).click();
  await expect(create.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(create.locator('.field-error')).toContainText(
    'Too weak for this connection’s password policy (good): At least 8 characters',
  );
  await create.getByRole('button', { name: 'Cancel' }).click();

  // A tenant that is down: the search says so; the connection filter says why it is empty, with a retry.
  const down = await startEmulator({ port: 0, users: 5, seed: 'soon-down' });
  const admin = down.clients.find((c) => c.name === 'admin')!;
  await addTenantInUi(page, {
    label: 'Soon down',
    domain: down.domain,
    clientId: admin.clientId,
    secret: admin.clientSecret!,
    caCert: down.caCert,
  });
  await down.close();
  await page
    .getByRole('listitem', { name: 'Tenant Soon down' })
    .getByRole('button', { name: 'Open users' })
    .click();
  // Opening the tenant searches at once: the failure is said beside the query; the filters say theirs.
  await expect(page.locator('#query-problem').getByRole('alert')).toContainText('could not be reached', {
    timeout: 30_000,
  });
  await page.getByRole('button', { name: /Filters/ }).click();
  await expect(
    page.getByText(/Connections could not be loaded: The tenant could not be reached/),
  ).toBeVisible({
    timeout: 30_000,
  });
  await search(page, 'email:*@example.com');
  await expect(page.locator('#query-problem').getByRole('alert')).toContainText('could not be reached', {
    timeout: 30_000,
  });
  await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
  await noSeriousA11yProblems(page, 'tenant down');
  await screens(page, 'tenant-down');

  // A grant lacking a scope: the sections it can't read say which scope is missing.
  const support = await startEmulator({ port: 0, users: 20, seed: 'support-scopes' });
  try {
    const desk = support.clients.find((c) => c.name === 'support-desk')!;
    await addTenantInUi(page, {
      label: 'Support desk',
      domain: support.domain,
      clientId: desk.clientId,
      secret: desk.clientSecret!,
      caCert: support.caCert,
    });
    await page
      .getByRole('listitem', { name: 'Tenant Support desk' })
      .getByRole('button', { name: 'Open users' })
      .click();
    await search(page, 'email:*@example.com');
    await page.locator('table.user-table tbody button.link').first().click();
    const panel = page.getByRole('complementary');
    await expect(
      panel.getByText(/does not allow reading MFA factors \(it lacks read:authentication_methods\)/),
    ).toBeVisible();
    await expect(
      panel.getByText(/does not allow reading this user's roles \(it lacks read:role_members\)/),
    ).toBeVisible();
    await panel.getByRole('region', { name: 'Multi-factor authentication' }).scrollIntoViewIfNeeded();
    await noSeriousA11yProblems(page, 'not permitted');
    await screens(page, 'not-permitted');
  } finally {
    await support.close();
  }
});

test('profile edits: a name and an email changed and verified on the tenant, with Auth0\u2019s rules in words', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  await useLocalTenant(page, host.url);
  const info = await localTenantInfo(host.dataDir);
  const api = await tenantApi(info);

  // A database user: name and email, the new email marked verified.
  const user = (await api.find('identities.connection:"Username-Password-Authentication"'))[1]!;
  const userId = user.user_id as string;
  let detail = await openUser(page, userId);
  await detail.getByRole('button', { name: 'Edit profile' }).click();
  const form = detail.getByRole('form', { name: 'Edit profile' });
  await form.getByRole('textbox', { name: 'Phone number' }).fill('not a phone');
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Renamed Person');
  await form.getByRole('textbox', { name: 'Email' }).fill('renamed.person@example.net');
  await form.getByRole('radio', { name: /Mark it verified now/ }).check();
  await form.getByRole('button', { name: 'Review and save' }).click();
  // main names the field it refuses, beside it; nothing is sent.
  await expect(form.getByRole('textbox', { name: 'Phone number' })).toHaveAttribute('aria-invalid', 'true');
  await expect(
    form.getByText('A phone number in international form, like +14155550123').first(),
  ).toBeVisible();
  expect((await api.getUser(userId)).name).toBe(user.name);
  await form.getByRole('textbox', { name: 'Phone number' }).fill(String(user.phone_number ?? ''));
  await noSeriousA11yProblems(page, 'profile form');
  await screens(page, 'profile-form');
  await form.getByRole('button', { name: 'Review and save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Profile saved' })).toBeVisible();
  const saved = await api.getUser(userId);
  expect(saved).toMatchObject({
    name: 'Renamed Person',
    email: 'renamed.person@example.net',
    email_verified: true,
  });
  await expect(detail.getByText('renamed.person@example.net (verified)')).toBeVisible();
  await detail.getByRole('button', { name: 'Close user detail' }).click();

  // A social user: what its provider syncs at each login, and its email, can't be changed — said before sending.
  const social = (await api.find('identities.connection:"google-oauth2"'))[0]!;
  detail = await openUser(page, social.user_id as string);
  await detail.getByRole('button', { name: 'Edit profile' }).click();
  const socialForm = detail.getByRole('form', { name: 'Edit profile' });
  await expect(socialForm.getByRole('textbox', { name: 'Email' })).toBeDisabled();
  await expect(socialForm.getByText(/changes email only for users of a database connection/)).toBeVisible();
  await expect(socialForm.getByRole('textbox', { name: 'Name', exact: true })).toBeDisabled();
  await expect(socialForm.getByText(/google-oauth2 sets this at each login/).first()).toBeVisible();
  await expect(socialForm.getByRole('textbox', { name: 'Phone number' })).toBeEnabled();
  await socialForm.getByRole('button', { name: 'Cancel' }).click();
  await detail.getByRole('button', { name: 'Close user detail' }).click();

  // Usernames, once the connection requires them: never together with a new email.
  const connections = (await (await api.api('/connections?strategy=auth0')).json()) as {
    id: string;
    options: Record<string, unknown>;
  }[];
  const db = connections[0]!;
  expect(
    (await api.api(`/connections/${db.id}`, 'PATCH', { options: { ...db.options, requires_username: true } }))
      .status,
  ).toBe(200);
  await page.reload();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Users' }).click();
  detail = await openUser(page, userId);
  await detail.getByRole('button', { name: 'Edit profile' }).click();
  const withUsername = detail.getByRole('form', { name: 'Edit profile' });
  await withUsername.getByRole('textbox', { name: 'Username' }).fill('renamed_person');
  await withUsername.getByRole('textbox', { name: 'Email' }).fill('again@example.net');
  await expect(withUsername.getByText(/refuses a new email and a new username in one request/)).toBeVisible();
  await expect(withUsername.getByRole('button', { name: 'Review and save' })).toBeDisabled();
  await withUsername.getByRole('textbox', { name: 'Email' }).fill('renamed.person@example.net');
  await withUsername.getByRole('button', { name: 'Review and save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Profile saved' })).toBeVisible();
  expect((await api.getUser(userId)).username).toBe('renamed_person');
});
