// What the end-to-end specs share: reading the local tenant's profile and secret as a user's machine holds them, a
// direct client of the tenant (to verify what the app did, not through the app), searching, adding a tenant through
// the form, and the accessibility check.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { Agent } from 'undici';
import { keychainSecret } from '../support/keychain.js';

mkdirSync('test-results/screens', { recursive: true });

export async function noSeriousA11yProblems(page: Page, screen: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${screen}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

export interface LocalTenantInfo {
  id: string;
  domain: string;
  clientId: string;
  caCert: string;
  secret: string;
}

export async function localTenantInfo(dataDir: string): Promise<LocalTenantInfo> {
  const file = JSON.parse(readFileSync(join(dataDir, 'tenants.json'), 'utf8')) as {
    tenants: LocalTenantInfo[];
  };
  const p = file.tenants[0]!;
  const secret = await keychainSecret(p.id);
  return { ...p, secret: secret! };
}

/** Reads the tenant directly (not through Tenant Desk) to verify what the app did. */
export async function tenantApi(info: LocalTenantInfo) {
  const agent = new Agent({ connect: { ca: info.caCert } });
  const f = (url: string, init: RequestInit = {}) =>
    fetch(url, { ...init, dispatcher: agent } as unknown as RequestInit);
  const tokenRes = await f(`https://${info.domain}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: info.clientId,
      client_secret: info.secret,
      audience: `https://${info.domain}/api/v2/`,
    }),
  });
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  const api = async (path: string, method = 'GET', body?: unknown) =>
    f(`https://${info.domain}/api/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  return {
    getUser: async (id: string) =>
      (await (await api(`/users/${encodeURIComponent(id)}`)).json()) as Record<string, unknown>,
    /** Users matching an Auth0 query (first page), straight from the tenant. */
    find: async (q: string) =>
      (await (await api(`/users?q=${encodeURIComponent(q)}&search_engine=v3&per_page=100`)).json()) as Record<
        string,
        unknown
      >[],
    api,
    outbox: async () =>
      (await (await f(`https://${info.domain}/__emulator/outbox`)).json()) as { to: string; type: string }[],
    /** Makes chosen endpoints fail for a number of requests (a local-tenant extension for tests). */
    faults: async (list: { method?: string; path: string; status?: number; times?: number }[]) => {
      const res = await f(`https://${info.domain}/__emulator/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(list),
      });
      expect(res.status).toBe(204);
    },
  };
}

export async function search(page: Page, q: string) {
  const box = page.getByRole('textbox', { name: /Search query/ });
  await box.fill(q);
  await box.press('Enter');
}

/** Adds a tenant through the form, as a user would. */
export async function addTenantInUi(
  page: Page,
  t: {
    label: string;
    domain: string;
    clientId: string;
    secret: string;
    caCert: string;
    environment?: string;
    /** Ticks "Ask for a reason on every write". */
    askReason?: boolean;
  },
): Promise<void> {
  // On a first run there is no navigation yet: the welcome screen offers to add one.
  const tenantsButton = page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Tenants' });
  const welcome = page.getByRole('heading', { name: 'Welcome to Tenant Desk' });
  await expect(tenantsButton.or(welcome)).toBeVisible();
  if (await welcome.isVisible()) await page.getByRole('button', { name: 'Add a tenant' }).click();
  else {
    await tenantsButton.click();
    await page.getByRole('button', { name: 'Add a tenant' }).click();
  }
  const form = page.getByRole('form', { name: 'Add a tenant' });
  await form.getByLabel('Label').fill(t.label);
  await form.getByLabel('Domain').fill(t.domain);
  await form.getByLabel('Client ID').fill(t.clientId);
  await form.locator('[name="secret"]').fill(t.secret);
  await form.getByLabel('Environment').selectOption(t.environment ?? 'development');
  await form.getByText('Advanced').click();
  await form.getByLabel(/CA certificate/).fill(t.caCert);
  if (t.askReason) await form.getByLabel(/Ask for a reason/).check();
  await form.getByRole('button', { name: 'Add tenant' }).click();
  await expect(page.getByRole('listitem', { name: `Tenant ${t.label}` })).toBeVisible();
}

/** Goes to a screen by the sidebar. */
export const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();

/** Adds a local tenant as a production tenant through the form (its admin client), and switches to it. */
export async function addProductionTenant(
  page: Page,
  emu: {
    domain: string;
    caCert: string;
    clients: { name: string; clientId: string; clientSecret?: string }[];
  },
  label: string,
  options: { domain?: string; askReason?: boolean } = {},
): Promise<void> {
  const admin = emu.clients.find((c) => c.name === 'admin')!;
  await addTenantInUi(page, {
    label,
    domain: options.domain ?? emu.domain,
    clientId: admin.clientId,
    secret: admin.clientSecret!,
    caCert: emu.caCert,
    environment: 'production',
    ...(options.askReason ? { askReason: true } : {}),
  });
  await switchTenant(page, label);
}

/** A first run that takes the offered local tenant and lands on its users. */
export async function useLocalTenant(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Use the local tenant' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
}

/** Switches tenant through the command palette (Ctrl+K), as a user would. */
export async function switchTenant(page: Page, label: string): Promise<void> {
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  const box = palette.getByRole('combobox', { name: /Type a command/ });
  await box.fill(`switch tenant ${label}`);
  await box.press('Enter');
  await expect(palette).toBeHidden();
}

/** Screenshots of one screen at the sizes and schemes the guide asks to look at: 1280×800 and 1920×1080, light and
 * dark (1024×700 and 1440×900 as well doubled the e2e suite's 544 screenshots). */
export async function screens(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  for (const [w, h] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `test-results/screens/${name}-${w}x${h}-${scheme}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (size) await page.setViewportSize(size);
}
