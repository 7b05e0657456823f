// A day at the support desk, as an agent works it on a production tenant that requires a reason on every write: a
// compromised account's sessions and tokens listed and revoked one by one, then signed out everywhere with a block
// and a password reset — the tenant keeps no session or token and the audit gives the reason on every entry; the
// users of the log events of an attack window taken from the Logs screen to Bulk edits and their sessions revoked,
// past Auth0's 1,000-result limit, each user written once; and the tenant restarted under a running Logs tail and a
// users search, both recovering without restarting the app.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { expect, test } from './host';
import { addProductionTenant, nav, noSeriousA11yProblems, screens, search, useLocalTenant } from './support';

const TICKET = 'SEC-311';

/** Adds the tenant as production, with "a reason on every write" ticked, through the form (its domain pasted from
 * the dashboard as a URL: taken as its host). */
async function addProduction(page: Page, emu: RunningEmulator, label: string) {
  await addProductionTenant(page, emu, label, { domain: `https://${emu.domain}/`, askReason: true });
  await nav(page, 'Users');
}

/** Answers the guard on production with a reason: the domain typed back where it asks, and the ticket. */
async function answerGuard(page: Page, name: RegExp | string, button: string, domain?: string) {
  const guard = page.getByRole('dialog', { name });
  if (domain) await guard.getByRole('textbox', { name: /Type .* to confirm/ }).fill(domain);
  await guard.getByLabel('Ticket').fill(TICKET);
  await guard.getByRole('button', { name: button, exact: true }).click();
  await expect(guard).toBeHidden();
}

async function openUser(page: Page, userId: string) {
  await search(page, `user_id:"${userId}"`);
  // The first row of the new results, not of the last search's still on screen: clicked until its user opens.
  const detail = page.getByRole('complementary');
  await expect(async () => {
    await page.locator('table.user-table tbody button.link').first().click();
    await expect(detail.locator('.detail-head .muted')).toHaveText(userId, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  return detail;
}

test('a compromised account: sessions and tokens revoked one by one, then signed out everywhere with a reason on every entry', async ({
  page,
  host,
}) => {
  test.setTimeout(150_000);
  const emu = await startEmulator({ port: 0, users: 400, seed: 'support-desk' });
  try {
    await useLocalTenant(page, host.url);
    await addProduction(page, emu, 'Acme production');
    const store = emu.store;
    const userId = [...store.refreshTokens.keys()].find(
      (u) =>
        (store.sessions.get(u)?.length ?? 0) >= 2 &&
        store.grants.has(u) &&
        store.users.get(u)?.identities[0]?.provider === 'auth0' &&
        !store.users.get(u)?.blocked,
    )!;
    expect(userId).toBeTruthy();
    const email = store.users.get(userId)!.email!;

    const detail = await openUser(page, userId);
    const access = detail.getByRole('region', { name: 'Sessions and tokens' });
    await access.scrollIntoViewIfNeeded();
    const sessionRows = access.locator('li[data-session]');
    await expect(sessionRows).toHaveCount(store.sessions.get(userId)!.length);
    await expect(access).toContainText('Acme Mobile');
    await expect(access.locator('li[data-refresh-token]')).toHaveCount(1);
    await noSeriousA11yProblems(page, 'sessions and tokens');
    await screens(page, 'support-sessions');

    // One session, then the refresh token: each through the guard, with the ticket the tenant asks for.
    const first = store.sessions.get(userId)![0]!;
    await access
      .locator(`li[data-session="${first.id}"]`)
      .getByRole('button', { name: /^Revoke/ })
      .click();
    const guard = page.getByRole('dialog', { name: 'Revoke this session?' });
    await expect(guard.getByRole('button', { name: 'Revoke session' })).toBeDisabled();
    await expect(guard).toContainText('asks for a ticket or a note on every write');
    await noSeriousA11yProblems(page, 'revoke session guard');
    await screens(page, 'support-revoke-guard');
    await answerGuard(page, 'Revoke this session?', 'Revoke session');
    await expect(sessionRows).toHaveCount(store.sessions.get(userId)!.length);
    expect(store.sessions.get(userId)!.some((s) => s.id === first.id)).toBe(false);
    await access
      .locator('li[data-refresh-token]')
      .getByRole('button', { name: /^Revoke/ })
      .click();
    await answerGuard(page, 'Revoke this refresh token?', 'Revoke token');
    await expect(access.locator('li[data-refresh-token]')).toHaveCount(0);
    expect(store.refreshTokens.has(userId)).toBe(false);

    // Sign out everywhere, with a block and a reset email: its options, then the guard with the domain typed back.
    await access.getByRole('button', { name: 'Sign out everywhere…' }).click();
    const options = page.getByRole('dialog', { name: `Sign ${email} out everywhere` });
    await options.getByLabel(/Block the user/).check();
    await options.getByLabel('Send a password reset email').check();
    await noSeriousA11yProblems(page, 'sign out everywhere');
    await screens(page, 'support-signout-options');
    await options.getByRole('button', { name: 'Continue…' }).click();
    await answerGuard(page, `Sign ${email} out everywhere?`, 'Sign out everywhere', emu.domain);
    const report = access.locator('.signout-report');
    await expect(report).toContainText('Signed out everywhere');
    await expect(report).toContainText('Block: Blocked');
    await expect(report).toContainText(`Password reset email: Password reset email sent to ${email}`);
    // The refresh token was revoked by hand already: nothing left, said so, nothing sent.
    await expect(report).toContainText('Refresh tokens: None left to revoke.');
    await expect(detail.getByRole('note').filter({ hasText: 'This user is blocked' })).toBeVisible();
    await noSeriousA11yProblems(page, 'sign out report');
    await screens(page, 'support-signout-report');

    // The tenant keeps nothing: no session, no refresh token; the user is blocked and was sent the email.
    expect(store.sessions.has(userId)).toBe(false);
    expect(store.refreshTokens.has(userId)).toBe(false);
    expect(store.users.get(userId)!.blocked).toBe(true);
    expect(emu.outbox().some((m) => m.to === email && m.type === 'reset_email')).toBe(true);

    // The audit: every write for this user carries the ticket (the refresh tokens' step sent nothing); found by it.
    await detail.getByRole('button', { name: 'Close user detail' }).click();
    await nav(page, 'Audit log');
    await page.getByLabel('User or target').fill(userId);
    await page.getByLabel('Reason').fill(TICKET.toLowerCase());
    await page.getByRole('button', { name: 'Filter' }).click();
    const rows = page.locator('table.audit-table tbody tr');
    await expect(rows).toHaveCount(6);
    for (const action of [
      'user.revoke-session',
      'user.revoke-refresh-token',
      'user.incident',
      'user.block',
      'user.revoke-sessions',
      'user.reset-email',
    ])
      await expect(rows.filter({ has: page.getByRole('cell', { name: action, exact: true }) })).toContainText(
        TICKET,
      );
    await expect(page.locator('table.audit-table')).toContainText('Acme production');
    await noSeriousA11yProblems(page, 'audit by reason');
    await screens(page, 'support-audit-reason');
  } finally {
    await emu.close();
  }
});

test('the users of an attack window’s log events, past 1,000: their sessions revoked, each user written once', async ({
  page,
  host,
}) => {
  test.setTimeout(240_000);
  const emu = await startEmulator({ port: 0, users: 2600, seed: 'attack-window' });
  try {
    await useLocalTenant(page, host.url);
    await addProduction(page, emu, 'Acme production');
    const store = emu.store;
    // The newest 1,200 successful logins make the window; each of their users holds a session (the attack's).
    const logins = store.logs.filter((l) => l.type === 's').sort((a, b) => b.date.localeCompare(a.date));
    const from = logins[1199]!.date;
    const window = logins.filter((l) => l.date >= from);
    const users = [...new Set(window.map((l) => l.user_id as string))];
    expect(users.length).toBeGreaterThanOrEqual(1200);
    const now = new Date().toISOString();
    for (const u of users)
      if (!store.sessions.has(u))
        store.sessions.set(u, [
          {
            id: `sess_${u.replace(/\W/g, '').slice(-20)}`,
            user_id: u,
            created_at: now,
            updated_at: now,
            authenticated_at: now,
            idle_expires_at: now,
            expires_at: now,
            last_interacted_at: now,
            device: {
              initial_user_agent: 'curl/8.5',
              initial_ip: '203.0.113.66',
              initial_asn: '64511',
              last_user_agent: 'curl/8.5',
              last_ip: '203.0.113.66',
              last_asn: '64511',
            },
            clients: [{ client_id: 'tdDemoSpa0000000000000000000000001' }],
            authentication: { methods: [{ name: 'pwd', timestamp: now }] },
          },
        ]);

    await nav(page, 'Logs');
    const q = `type:s AND date:[${from} TO *]`;
    await page.getByRole('textbox', { name: /Log query/ }).fill(q);
    await page.getByRole('textbox', { name: /Log query/ }).press('Enter');
    await expect(page.getByRole('note').filter({ hasText: 'only its first 1,000 events' })).toBeVisible();
    await page.getByRole('button', { name: 'Act on the users of these events…' }).click();

    const form = page.getByRole('form', { name: 'New bulk edit' });
    await expect(form.getByRole('radio', { name: /The users of log events/ })).toBeChecked();
    await expect(form.getByRole('textbox', { name: /Log query/ })).toHaveValue(q);
    await form.getByRole('combobox', { name: 'Change' }).selectOption('revoke-sessions');
    await noSeriousA11yProblems(page, 'bulk from log events');
    await screens(page, 'support-bulk-log-events');
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    const n = users.length.toLocaleString('en-US');
    await expect(preview.locator('.plan-headline')).toContainText(`${n} of ${n} users will change`, {
      timeout: 90_000,
    });
    await expect(preview).toContainText(`the ${n} users of`);

    store.appliedWrites.clear();
    await preview.getByRole('button', { name: `Start: change ${n} users…` }).click();
    const guard = page.getByRole('dialog', { name: new RegExp(`Change ${n} users on Acme production`) });
    await guard.getByRole('textbox', { name: /Type .* to confirm/ }).fill(emu.domain);
    await guard.getByRole('textbox', { name: /number of users/ }).fill(n);
    await guard.getByLabel('Ticket').fill(TICKET);
    await guard.getByRole('button', { name: `Start: change ${n} users` }).click();
    const detail = page.locator('.job-detail');
    await expect(detail.locator('.job-state')).toHaveText('Completed', { timeout: 180_000 });
    await expect(detail).toContainText(/took .* users\/s/);
    await noSeriousA11yProblems(page, 'bulk revoke done');
    await screens(page, 'support-bulk-revoke-done');

    // Every user of the window lost their sessions, and each was written to exactly once.
    expect(users.filter((u) => store.sessions.has(u))).toEqual([]);
    expect(users.filter((u) => store.appliedWrites.get(u) !== 1)).toEqual([]);
    expect(store.appliedWrites.size).toBe(users.length);
  } finally {
    await emu.close();
  }
});

test('the tenant restarts under a running Logs tail and a users search: both recover, no app restart', async ({
  page,
  host,
}) => {
  test.setTimeout(150_000);
  const dir = mkdtempSync(join(tmpdir(), 'td-restart-'));
  const options = { port: 0, users: 200, seed: 'restart', dataFile: join(dir, 'tenant.json'), certDir: dir };
  let emu = await startEmulator(options);
  try {
    await useLocalTenant(page, host.url);
    await addProduction(page, emu, 'Acme production');
    await search(page, 'email:*');
    await expect(page.getByRole('status').filter({ hasText: / users$/ })).toContainText('200');

    await nav(page, 'Logs');
    await page.getByRole('button', { name: 'Follow new events' }).click();
    const state = page.locator('.tail-state');
    await expect(state).toContainText('Following new events');

    // The tenant goes away and comes back on the same address with new signing keys: the token held is refused.
    const port = Number(emu.domain.split(':')[1]);
    await emu.close();
    await expect(state).toContainText('Not following', { timeout: 30_000 });
    await expect(state).toHaveClass(/failing/);
    await noSeriousA11yProblems(page, 'tail failing');
    await screens(page, 'support-tail-failing');
    emu = await startEmulator({ ...options, port });
    emu.store.log({
      type: 's',
      description: 'Successful login after the restart',
      user_name: 'back@example.com',
    });
    await expect(state).toContainText('Following new events', { timeout: 60_000 });
    await expect(page.getByRole('grid', { name: 'Log events' })).toContainText('back@example.com', {
      timeout: 30_000,
    });
    await screens(page, 'support-tail-recovered');

    await nav(page, 'Users');
    await search(page, 'email:*@example.com');
    await expect(page.getByRole('status').filter({ hasText: / users$/ })).toBeVisible();
    await expect(page.locator('table.user-table tbody tr').first()).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  } finally {
    await emu.close();
  }
});
