// A newcomer's first run: the offer of the local tenant, accepting it, and seeing it listed with its colour.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './host';

test('first run offers the local tenant, which then appears with its colour and connects', async ({
  page,
  host,
}) => {
  await page.goto(host.url);
  // The token leaves the address bar at once.
  await expect(page).not.toHaveURL(/token=/);
  await expect(page.getByRole('heading', { name: 'Welcome to Tenant Desk' })).toBeVisible();
  const offer = await new AxeBuilder({ page }).analyze();
  expect(offer.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  await page.screenshot({ path: 'test-results/screens/first-run.png', fullPage: true });

  await page.getByRole('button', { name: 'Use the local tenant' }).click();
  // The newcomer lands on the local tenant's users; the frame shows which tenant this is.
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Tenants' }).click();
  const card = page.getByRole('listitem', { name: 'Tenant Local tenant' });
  await expect(card).toBeVisible();
  await expect(card.getByText('Development')).toBeVisible();
  const swatch = card.getByRole('img', { name: /^Colour #2e7d32 of Local tenant$/ });
  await expect(swatch).toHaveCSS('background-color', 'rgb(46, 125, 50)');
  await expect(card.getByText('In the OS keychain')).toBeVisible();
  await expect(card.getByRole('status').filter({ hasText: 'Local tenant · running' })).toBeVisible();
  // The window frame shows the active tenant's colour and tag.
  await expect(page.getByLabel('Active tenant')).toContainText('Local tenant');

  await card.getByRole('button', { name: 'Test connection' }).click();
  await expect(card.getByText(/Connected\. Granted scopes:/)).toBeVisible();
  await expect(card.getByText('read:users', { exact: false }).first()).toBeVisible();
  const listed = await new AxeBuilder({ page }).analyze();
  expect(listed.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  await page.screenshot({ path: 'test-results/screens/tenants.png', fullPage: true });

  // The dark theme follows the OS, and stays accessible.
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await new AxeBuilder({ page }).analyze();
  expect(dark.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  await page.screenshot({ path: 'test-results/screens/tenants-dark.png', fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // Reloading keeps the tenant (profiles are on disk; the token survives in this tab only).
  await page.reload();
  await expect(page.getByLabel('Active tenant')).toContainText('Local tenant');
});

test('the browser host refuses a wrong token and says how to connect', async ({ page, host }) => {
  const wsUrl = host.url.replace('http://', 'ws://').replace('/?token=', '/rpc?token=');
  await page.goto(host.url.replace(/token=.*/, 'token=wrong'));
  const wrongToken = await page.evaluate(
    (u) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(u.replace(/token=.*/, 'token=wrong'));
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
    wsUrl,
  );
  expect(wrongToken).toBe('refused');
  await expect(page.getByRole('heading', { name: 'Tenant Desk could not load your tenants' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('one-time token');
});

test('a tenant is added with its secret in the keychain, edited, and removed after a confirmation', async ({
  page,
  host,
}) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Add a tenant' }).click();
  const form = page.getByRole('form', { name: 'Add a tenant' });
  await expect(form.getByText('The OS keychain is available.')).toBeVisible();
  await form.getByLabel('Label').fill('Acme staging');
  await form.getByLabel('Domain').fill('acme staging.eu.auth0.com');
  await form.getByLabel('Client ID').fill('acme-staging-client');
  await form.getByLabel('Client secret', { exact: true }).fill('a-secret-the-page-never-sees-again');
  await expect(form.getByLabel('Client secret', { exact: true })).toHaveAttribute('type', 'password');
  await form.getByLabel('Environment').selectOption('staging');
  await form.getByRole('button', { name: 'Add tenant' }).click();
  // The contract's check, in words for people beside the field, which gets focus; nothing is sent.
  await expect(form.getByRole('alert')).toContainText('Domain is a host name');
  await expect(form.getByLabel('Domain')).toBeFocused();
  const formCheck = await new AxeBuilder({ page }).analyze();
  expect(formCheck.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  await page.screenshot({ path: 'test-results/screens/add-tenant.png', fullPage: true });

  // A pasted URL is taken as its host.
  await form.getByLabel('Domain').fill('https://acme-staging.eu.auth0.com/');
  await form.getByRole('button', { name: 'Add tenant' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Tenants' }).click();
  const card = page.getByRole('listitem', { name: 'Tenant Acme staging' });
  await expect(card.getByText('Staging', { exact: true })).toBeVisible();
  await expect(card.getByText('In the OS keychain')).toBeVisible();
  await expect(card.getByRole('img', { name: /^Colour #ef6c00/ })).toHaveCSS(
    'background-color',
    'rgb(239, 108, 0)',
  );
  await expect(page.locator('body')).not.toContainText('a-secret-the-page-never-sees-again');

  await card.getByRole('button', { name: 'Edit' }).click();
  const edit = card.getByRole('form', { name: 'Edit Acme staging' });
  await edit.getByLabel('Label').fill('Acme pre-production');
  await edit.getByLabel('Colour').fill('#6a1b9a');
  await page.screenshot({ path: 'test-results/screens/edit-tenant.png', fullPage: true });
  await edit.getByRole('button', { name: 'Save changes' }).click();
  const edited = page.getByRole('listitem', { name: 'Tenant Acme pre-production' });
  await expect(edited.getByRole('img', { name: /^Colour #6a1b9a/ })).toHaveCSS(
    'background-color',
    'rgb(106, 27, 154)',
  );

  await edited.getByRole('button', { name: 'Remove' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove Acme pre-production?' });
  // The dialog names the tenant it acts on, and its focus starts on the safe choice.
  await expect(confirm.getByTestId('tenant-badge')).toContainText('acme-staging.eu.auth0.com');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  // Escape closes it, changing nothing.
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(edited).toBeVisible();
  await edited.getByRole('button', { name: 'Remove' }).click();
  await confirm.getByRole('button', { name: 'Remove tenant' }).click();
  // With no tenant left, the first-run offer is back.
  await expect(page.getByRole('heading', { name: 'Welcome to Tenant Desk' })).toBeVisible();
});
