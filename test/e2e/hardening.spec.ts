// What the hardening issue changed, as a user meets it: after upgrading, a tenant whose secret an earlier version kept
// through keytar just works while one whose secret is gone is named; a list of users loaded from a UTF-16 file (and a
// broken one refused with its line); a bulk job that skips the user someone edited after the preview; and, after the
// app was killed mid-job, the Audit log saying what reading each interrupted write back found.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/index.js';
import { ProfileStore } from '../../main/tenants/profile-store.js';
import { expect, startHost, stopHost, test } from './host';
import { addTenantInUi, nav, noSeriousA11yProblems, screens, switchTenant } from './support';

test('after upgrading: a keytar secret is moved and works; a tenant whose secret is gone is named until set', async ({
  page,
}) => {
  const tenant = await startEmulator({ port: 0, users: 30, seed: 'upgrade' });
  const admin = tenant.clients.find((c) => c.name === 'admin')!;
  // The data dir an earlier version left: two tenants in the keychain, one of them there only as keytar kept it.
  const dataDir = mkdtempSync(join(tmpdir(), 'td-e2e-upgrade-'));
  const profiles = new ProfileStore(dataDir);
  const base = {
    domain: tenant.domain,
    clientId: admin.clientId,
    authMethod: 'client_secret' as const,
    audience: null,
    caCert: tenant.caCert,
    secretStorage: 'keychain' as const,
    localTenant: false,
  };
  const kept = profiles.add({ ...base, label: 'Kept EU', environment: 'production', color: '#1565c0' });
  profiles.add({ ...base, label: 'Lost US', environment: 'staging', color: '#ef6c00' });
  execFileSync(
    'secret-tool',
    ['store', '--label', 'tenant-desk', 'service', 'tenant-desk', 'account', kept.id],
    {
      input: admin.clientSecret!,
    },
  );
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    const banner = page.getByTestId('missing-secrets');
    await expect(banner).toContainText('One tenant needs its secret again.');
    await expect(banner).toContainText(`Lost US (${tenant.domain})`);
    await expect(banner).not.toContainText('Kept EU');
    await nav(page, 'Tenants');
    const lost = page.getByRole('listitem', { name: 'Tenant Lost US' });
    await expect(lost).toContainText('Missing from the OS keychain: set it again');
    await noSeriousA11yProblems(page, 'missing secrets');
    await screens(page, 'keychain-missing-secret');
    // The moved secret works at once.
    await switchTenant(page, 'Kept EU');
    await nav(page, 'Users');
    const someone = [...tenant.store.users.values()].find((u) => u.email)!;
    await expect(page.getByRole('button', { name: someone.email! }).first()).toBeVisible();
    // Given its secret again, the other one is named no more.
    await nav(page, 'Tenants');
    await lost.getByRole('button', { name: 'Replace secret' }).click();
    await lost.getByLabel('New client secret for Lost US').fill(admin.clientSecret!);
    await lost.getByRole('button', { name: 'Save secret' }).click();
    await expect(banner).toHaveCount(0);
    await expect(lost).toContainText('In the OS keychain');
  } finally {
    await stopHost(host.child);
    await tenant.close();
  }
});

test('a list of users from a UTF-16 file; a broken file refused with its line; a user edited after the preview is skipped', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const tenant = await startEmulator({ port: 0, users: 40, seed: 'lists' });
  try {
    const admin = tenant.clients.find((c) => c.name === 'admin')!;
    await page.goto(host.url);
    await addTenantInUi(page, {
      label: 'Lists',
      domain: tenant.domain,
      clientId: admin.clientId,
      secret: admin.clientSecret!,
      caCert: tenant.caCert,
    });
    await switchTenant(page, 'Lists');
    const users = [...tenant.store.users.values()].filter((u) => u.email).slice(0, 3);
    const files = mkdtempSync(join(tmpdir(), 'td-e2e-lists-'));
    const utf16 = join(files, 'from-excel.txt');
    writeFileSync(
      utf16,
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`email\r\n${users.map((u) => u.email).join('\r\n')}\r\n`, 'utf16le'),
      ]),
    );
    const latin1 = join(files, 'latin1.csv');
    writeFileSync(
      latin1,
      Buffer.concat([Buffer.from(`email\n${users[0]!.email}\nJos`), Buffer.from([0xe9, 0x0a])]),
    );

    await nav(page, 'Bulk edits');
    const form = page.getByRole('form', { name: 'New bulk edit' });
    await form.getByRole('radio', { name: 'A list of user ids or emails' }).check();
    await form.getByRole('textbox', { name: /Keys to set/ }).fill('{"tier": "from the list"}');
    await form.getByLabel(/Or load a CSV or TXT file/).setInputFiles(latin1);
    await expect(form).toContainText('latin1.csv');
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect(page.getByText(/Line 3 is not valid UTF-8 \(byte 4 of the line\)/)).toBeVisible();
    await screens(page, 'bulk-list-refused');

    await form.getByLabel(/Or load a CSV or TXT file/).setInputFiles(utf16);
    await expect(form).toContainText('from-excel.txt');
    await form.getByRole('button', { name: 'Preview' }).click();
    await expect(preview.locator('.plan-headline')).toContainText('3 of 3 users will change');
    // Someone else edits one of them after the preview (on the tenant itself, as another admin would).
    const edited = users[1]!;
    tenant.store.putUser({ ...edited, app_metadata: { ...edited.app_metadata, tier: 'set elsewhere' } });
    await preview.getByRole('button', { name: 'Start: change 3 users…' }).click();
    await page
      .getByRole('dialog', { name: /Change 3 users on Lists/ })
      .getByRole('button', { name: 'Start: change 3 users' })
      .click();
    const detail = page.locator('.job-detail');
    await expect(detail.locator('.job-state')).toHaveText('Completed', { timeout: 30_000 });
    await detail.getByLabel('Show').selectOption('skipped');
    await expect(detail).toContainText(
      /changed since the plan: app_metadata\.tier was (absent|".*") when planned, is "set elsewhere" now/,
    );
    await noSeriousA11yProblems(page, 'bulk skipped changed');
    await screens(page, 'bulk-changed-since-plan');
    expect(tenant.store.users.get(edited.user_id)!.app_metadata?.tier).toBe('set elsewhere');
    for (const u of [users[0]!, users[2]!])
      expect(tenant.store.users.get(u.user_id)!.app_metadata?.tier).toBe('from the list');
  } finally {
    await tenant.close();
  }
});

test('killed mid-job, the next start says in the Audit log what each interrupted write turned out to be', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const tenant = await startEmulator({ port: 0, users: 400, seed: 'audit-crash', latencyMs: 20 });
  let host = await startHost();
  try {
    const admin = tenant.clients.find((c) => c.name === 'admin')!;
    await page.goto(host.url);
    await addTenantInUi(page, {
      label: 'Crashy',
      domain: tenant.domain,
      clientId: admin.clientId,
      secret: admin.clientSecret!,
      caCert: tenant.caCert,
    });
    await switchTenant(page, 'Crashy');
    await nav(page, 'Bulk edits');
    const form = page.getByRole('form', { name: 'New bulk edit' });
    await form.getByRole('radio', { name: /Every user matching a query/ }).check();
    await form.getByRole('textbox', { name: /Keys to set/ }).fill('{"audited": true}');
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect(preview.locator('.plan-headline')).toContainText('400 of 400 users will change');
    await preview.getByRole('button', { name: 'Start: change 400 users…' }).click();
    await page
      .getByRole('dialog', { name: /Change 400 users on Crashy/ })
      .getByRole('button', { name: 'Start: change 400 users' })
      .click();
    await expect.poll(() => tenant.store.appliedWrites.size, { timeout: 30_000 }).toBeGreaterThan(30);
    await stopHost(host.child, 'SIGKILL');
    host = await startHost(host.dataDir);
    await page.goto(host.url);
    await nav(page, 'Audit log');
    const rows = page.locator('.audit-table tbody tr');
    await expect(
      rows
        .filter({
          hasText:
            /Interrupted — (applied|not applied|unknown)Tenant Desk stopped while this was under way; at the next start, /,
        })
        .first(),
    ).toBeVisible();
    await expect(rows.filter({ hasText: 'bulk.metadata' }).first()).toContainText(
      /Interrupted — unknown.*the job is interrupted with \d+ of 400 users done/,
    );
    await expect(rows.filter({ hasText: 'Being sent' })).toHaveCount(0);
    await noSeriousA11yProblems(page, 'audit interrupted');
    await screens(page, 'audit-interrupted');
  } finally {
    await stopHost(host.child);
    await tenant.close();
  }
});
