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
  const card = page.getByRole('listitem', { name: 'Tenant Sandbox' });
  await expect(card).toBeVisible();
  await expect(card.getByText('Development')).toBeVisible();
  const swatch = card.getByRole('img', { name: /^Colour #2e7d32 of Sandbox$/ });
  await expect(swatch).toHaveCSS('background-color', 'rgb(46, 125, 50)');
  await expect(card.getByText('In the OS keychain')).toBeVisible();
  // The window frame shows the active tenant's colour and tag.
  await expect(page.getByLabel('Active tenant')).toContainText('Sandbox');

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
  await expect(page.getByLabel('Active tenant')).toContainText('Sandbox');
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
