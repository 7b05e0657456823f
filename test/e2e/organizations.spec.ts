// Organizations, as an IT admin reorganises a customer on a production tenant: an organization created, 30 members
// added by search and the rest of a query's users by a bulk job (the count typed back), ten of them given the
// organization role Admin by a bulk job, an invitation sent and revoked, a member removed from the user panel, and the
// bulk add undone — the local tenant holding exactly what the screen shows at each step.
import type { Page } from '@playwright/test';
import { startEmulator } from '../../emulator/index.js';
import { orgMemberKey } from '../../emulator/store.js';
import { expect, test } from './host';
import {
  addProductionTenant,
  localTenantInfo,
  nav,
  noSeriousA11yProblems,
  screens,
  search,
  useLocalTenant,
} from './support';

/** The whole tenant kept as a snapshot, with each user's organizations and organization roles. */
async function snapshotWithOrganizations(page: Page, label: string) {
  await nav(page, 'Users');
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: `Export users of ${label}` });
  await dialog.getByRole('radio', { name: 'Every user of the tenant' }).check();
  await dialog.getByRole('checkbox', { name: /Keep these users as an offline snapshot/ }).check();
  await dialog.getByRole('checkbox', { name: /With each user’s organizations/ }).check();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByRole('button', { name: /^Save / })).toBeVisible({ timeout: 90_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
}

/** Starts the previewed job on production: the domain and the count typed back. */
async function startJob(page: Page, domain: string, n: number, heading: string) {
  const preview = page.getByRole('region', { name: 'Preview' });
  const shown = n.toLocaleString('en-US');
  await expect(preview.locator('.plan-headline')).toContainText(`${shown} of `, { timeout: 90_000 });
  await preview.getByRole('button', { name: `Start: change ${shown} users…` }).click();
  const guard = page.getByRole('dialog', { name: new RegExp(`Change ${shown} users`) });
  await guard.getByRole('textbox', { name: /Type .* to confirm/ }).fill(domain);
  await guard.getByRole('textbox', { name: /number of users/ }).fill(shown);
  await guard.getByRole('button', { name: `Start: change ${shown} users` }).click();
  const detail = page.locator('.job-detail');
  // This job's detail (not the one shown before it), run to its end.
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(heading);
  await expect(detail.locator('.job-state')).toHaveText('Completed', { timeout: 180_000 });
  return detail;
}

test('an organization on production: members by search and by query, org roles, an invitation, undo', async ({
  page,
  host,
}) => {
  test.setTimeout(300_000);
  const emu = await startEmulator({ port: 0, users: 1600, seed: 'organizations-e2e' });
  try {
    await useLocalTenant(page, host.url);
    await addProductionTenant(page, emu, 'Acme production');
    const store = emu.store;
    // A snapshot before, with everyone's organizations.
    await snapshotWithOrganizations(page, 'Acme production');

    // Create the organization (production: confirmed).
    await nav(page, 'Organizations');
    await page.getByRole('button', { name: 'Create organization…' }).click();
    const create = page.getByRole('dialog', { name: 'Create an organization' });
    await create.getByLabel(/^Name/).fill('northwind');
    await create.getByLabel('Display name').fill('Northwind Traders');
    await noSeriousA11yProblems(page, 'create organization');
    await create.getByRole('button', { name: 'Create…' }).click();
    await page
      .getByRole('dialog', { name: 'Create this organization?' })
      .getByRole('button', { name: 'Create organization' })
      .click();
    await expect(page.getByRole('heading', { name: 'Northwind Traders', level: 2 })).toBeVisible();
    const org = [...store.organizations.values()].find((o) => o.name === 'northwind')!;
    expect(org).toBeTruthy();
    const members = () => store.orgMembers.get(org.id) ?? new Set<string>();

    // 30 members found by a search, ticked and added.
    await page.getByRole('button', { name: 'Add members…' }).click();
    const add = page.getByRole('dialog', { name: 'Add members' });
    await add.getByLabel(/Users matching/).fill('identities.connection:"Username-Password-Authentication"');
    await add.getByRole('button', { name: 'Search' }).click();
    const boxes = add.getByRole('list', { name: 'Users found' }).getByRole('checkbox');
    await expect(boxes.first()).toBeVisible();
    for (let i = 0; i < 30; i++) await boxes.nth(i).check();
    await add.getByRole('button', { name: 'Add 30 members' }).click();
    await page
      .getByRole('dialog', { name: 'Add 30 members?' })
      .getByRole('button', { name: 'Add members' })
      .click();
    await expect(page.locator('table.org-members tbody tr')).toHaveCount(30);
    expect(members().size).toBe(30);
    // The count the tenant gives (offset paging's total), as the tenant holds it.
    await expect(page.locator('dl.facts')).toContainText('Members30');
    const handAdded = new Set(members());
    await noSeriousA11yProblems(page, 'organization members');
    await screens(page, 'org-members');

    // Every user of a query added by a bulk job: past the 30 already there, the count typed back.
    await page.getByRole('button', { name: 'Add users by query or list…' }).click();
    const form = page.getByRole('form', { name: 'New bulk edit' });
    await expect(form.getByLabel('Add to organization')).toHaveValue(org.id);
    await form.getByRole('textbox', { name: /Query/ }).fill('email:*');
    await noSeriousA11yProblems(page, 'bulk add to organization');
    await form.getByRole('button', { name: 'Preview' }).click();
    const withEmail = [...store.users.values()].filter((u) => u.email).length;
    const toAdd = withEmail - 30;
    const job = await startJob(page, emu.domain, toAdd, 'add to organization Northwind Traders');
    await expect(job).toContainText('add to organization Northwind Traders');
    expect(members().size).toBe(withEmail);
    await screens(page, 'org-bulk-add-done');

    // Ten of them made Admin in the organization: ticked in the results, a bulk job of organization roles.
    await nav(page, 'Users');
    await search(page, 'email:*');
    const ticks = page.locator('table.user-table tbody input[type="checkbox"]');
    for (let i = 0; i < 10; i++) await ticks.nth(i).check();
    await page.getByRole('button', { name: 'Bulk edit 10 selected…' }).click();
    await form.getByRole('combobox', { name: 'Change' }).selectOption('org-roles');
    await form.getByLabel('In organization').selectOption(org.id);
    await form.getByLabel(/Find a role/).fill('Admin');
    await form.getByLabel(/Find a role/).press('Enter');
    await form
      .getByRole('list', { name: 'Matching roles' })
      .getByRole('button', { name: 'Add role Admin', exact: true })
      .click();
    await form.getByRole('button', { name: 'Preview' }).click();
    await startJob(page, emu.domain, 10, 'give organization role Admin in Northwind Traders');
    const adminRole = [...store.roles.values()].find((r) => r.name === 'Admin')!;
    const admins = [...members()].filter((u) =>
      store.orgMemberRoles.get(orgMemberKey(org.id, u))?.has(adminRole.id),
    );
    expect(admins).toHaveLength(10);

    // The Roles tab says who holds it, as the tenant does.
    await nav(page, 'Organizations');
    await page.getByRole('button', { name: /Northwind Traders/ }).click();
    await page.getByRole('tab', { name: 'Roles' }).click();
    await expect(page.getByText('Admin — 10 members')).toBeVisible({ timeout: 30_000 });
    await screens(page, 'org-roles-tab');

    // An invitation sent, then revoked.
    await page.getByRole('tab', { name: 'Invitations' }).click();
    await page.getByRole('button', { name: 'Invite…' }).click();
    const invite = page.getByRole('dialog', { name: 'Invite to the organization' });
    await invite.getByLabel(/Invited by/).fill('Sam from IT');
    await invite.getByLabel('Email', { exact: true }).fill('new.buyer@northwind.example');
    await invite.getByLabel('Admin', { exact: true }).check();
    await noSeriousA11yProblems(page, 'invite');
    await screens(page, 'org-invite');
    await invite.getByRole('button', { name: 'Invite…' }).click();
    await page
      .getByRole('dialog', { name: 'Send this invitation?' })
      .getByRole('button', { name: 'Invite' })
      .click();
    await expect(page.getByLabel('Invitation link (shown once)')).toHaveValue(/invitation=/);
    const invitations = () => store.orgInvitations.get(org.id) ?? [];
    expect(invitations()).toHaveLength(1);
    expect(emu.outbox().some((m) => m.to === 'new.buyer@northwind.example')).toBe(true);
    const row = page.locator(`tr[data-invitation="${invitations()[0]!.id}"]`);
    await expect(row).toContainText('new.buyer@northwind.example');
    await row.getByRole('button', { name: /Revoke/ }).click();
    await page
      .getByRole('dialog', { name: 'Revoke this invitation?' })
      .getByRole('button', { name: 'Revoke invitation' })
      .click();
    await expect(page.getByText('No invitation pending.')).toBeVisible();
    expect(invitations()).toHaveLength(0);

    // A member removed from the user panel (destructive on production: the domain typed back).
    const leaver = admins[0]!;
    await nav(page, 'Users');
    await search(page, `user_id:"${leaver}"`);
    await page.locator('table.user-table tbody button.link').first().click();
    const panel = page.getByRole('complementary');
    const orgs = panel.getByRole('region', { name: 'Organizations' });
    await expect(orgs).toContainText('Northwind Traders');
    await expect(orgs).toContainText('roles: Admin');
    await orgs.scrollIntoViewIfNeeded();
    await noSeriousA11yProblems(page, 'user organizations');
    await screens(page, 'org-user-panel');
    await orgs.getByRole('button', { name: 'Remove from Northwind Traders' }).click();
    const leave = page.getByRole('dialog', { name: 'Remove from this organization?' });
    await leave.getByRole('textbox', { name: /Type .* to confirm/ }).fill(emu.domain);
    await leave.getByRole('button', { name: 'Remove from organization' }).click();
    await expect(orgs).toContainText('Not a member of any organization');
    expect(members().has(leaver)).toBe(false);
    await panel.getByRole('button', { name: 'Close user detail' }).click();

    // The bulk add undone: the users it added leave; the 30 added by hand stay.
    await nav(page, 'Bulk edits');
    await page
      .getByRole('button', { name: /add to organization Northwind Traders/ })
      .first()
      .click();
    const jobDetail = page.locator('.job-detail');
    await jobDetail.getByRole('button', { name: 'Undo…' }).click();
    // Every user the job added is planned; one who left since (the leaver, if the job added them) is skipped.
    await startJob(page, emu.domain, toAdd, 'undo: add to organization Northwind Traders');
    expect([...members()].sort()).toEqual([...handAdded].filter((u) => u !== leaver).sort());
    await screens(page, 'org-undo-done');

    // Deleting an organization says how many members go with it, and wants the domain typed back.
    const initech = [...store.organizations.values()].find((o) => o.name === 'initech')!;
    const initechMembers = store.orgMembers.get(initech.id)!.size;
    await nav(page, 'Organizations');
    await page.getByRole('button', { name: /^Initech/ }).click();
    await expect(page.locator('dl.facts')).toContainText(`Members${initechMembers}`);
    await page.getByRole('button', { name: 'Delete…' }).click();
    const del = page.getByRole('dialog', { name: 'Delete Initech?' });
    await expect(del).toContainText(`Its ${initechMembers} members`);
    await noSeriousA11yProblems(page, 'delete organization');
    await screens(page, 'org-delete');
    await del.getByRole('textbox', { name: /Type .* to confirm/ }).fill(emu.domain);
    await del.getByRole('button', { name: 'Delete organization' }).click();
    await expect(page.getByRole('button', { name: /^Initech/ })).toHaveCount(0);
    expect(store.organizations.has(initech.id)).toBe(false);

    // A snapshot after: the compare says who joined Northwind and who left Initech with it.
    await snapshotWithOrganizations(page, 'Acme production');
    await nav(page, 'Snapshots');
    const compare = page.getByRole('form', { name: 'Compare two snapshots' });
    await compare.getByRole('button', { name: 'Compare' }).click();
    const joined = members().size;
    await page
      .getByRole('button', { name: new RegExp(`organizations\\.northwind\\.roles ${joined}`) })
      .click();
    await expect(page.locator('table.compare-table tbody')).toContainText('joined northwind');
    await page
      .getByRole('button', { name: new RegExp(`organizations\\.initech\\.roles ${initechMembers}`) })
      .click();
    await expect(page.locator('table.compare-table tbody')).toContainText('left initech');
    await noSeriousA11yProblems(page, 'organization compare');
    await screens(page, 'org-snapshot-compare');

    // Across tenants: Acme found by name on both tenants; the two tenants' organizations compared.
    await nav(page, 'Cross-tenant');
    await page.getByRole('button', { name: 'Organizations on several tenants' }).click();
    const find = page.getByRole('search', { name: 'Find organizations on several tenants' });
    for (const box of await find.getByRole('checkbox').all()) await box.check();
    await find.getByLabel(/Organization name or display name contains/).fill('acme');
    await find.getByRole('button', { name: /^Find on 2 tenants/ }).click();
    const found = page.getByRole('list', { name: "Each tenant's organizations" });
    await expect(found.getByRole('table', { name: 'Organizations on Acme production' })).toContainText(
      'Acme Corporation',
    );
    await expect(found.getByRole('table', { name: 'Organizations on Local tenant' })).toContainText('acme');
    const cmp = page.getByRole('form', { name: "Compare two tenants' organizations" });
    const local = await localTenantInfo(host.dataDir);
    await cmp.getByLabel('Tenant A').selectOption({ label: `Acme production (${emu.domain})` });
    await cmp.getByLabel('Tenant B').selectOption({ label: `Local tenant (${local.domain})` });
    await cmp.getByRole('button', { name: 'Compare organizations' }).click();
    const both = page.getByRole('table', { name: 'Organizations in both tenants' });
    await expect(both).toContainText('acme', { timeout: 60_000 });
    await expect(page.getByRole('list', { name: 'Organizations only in Acme production' })).toContainText(
      'northwind',
    );
    await noSeriousA11yProblems(page, 'organizations across tenants');
    await screens(page, 'org-across');
  } finally {
    await emu.close();
  }
});
