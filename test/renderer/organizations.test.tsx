// @vitest-environment happy-dom
// The Organizations screen as an admin uses it: the organizations listed, one opened with its connections and members
// (their organization roles), a member removed and a role given through the guard, an invitation made whose link is
// shown once; the members handed to Bulk edits; a grant without read:organizations says so and asks nothing.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { useAppStore } = await import('../../renderer/src/stores/app');
const { useTenantsStore } = await import('../../renderer/src/features/tenants/store');
const { useGuardStore } = await import('../../renderer/src/stores/guard');
const { useBulkStore } = await import('../../renderer/src/features/bulk/store');
const { useOrgsStore } = await import('../../renderer/src/features/organizations/store');
const { OrganizationsScreen } = await import('../../renderer/src/features/organizations/OrganizationsScreen');
const { BulkForm } = await import('../../renderer/src/features/bulk/BulkForm');
const { GuardDialog } = await import('../../renderer/src/ui/GuardDialog');

const tenant = tenantProfile({ environment: 'production', label: 'Acme prod' });
const ORG = 'org_acme000000000001';
const admin = { id: 'rol_admin', name: 'Admin' };
const agent = { id: 'rol_agent', name: 'Support Agent' };
const calls = (channel: string) => invoke.mock.calls.filter(([c]) => c === channel);

beforeEach(() => {
  useGuardStore.getState().request?.resolve(null);
  useOrgsStore.setState({ byTenant: {} });
  invoke.mockReset();
  invoke.mockImplementation(async (channel: string) => {
    switch (channel) {
      case 'orgs:list':
        return {
          ok: true,
          data: { organizations: [{ id: ORG, name: 'acme', displayName: 'Acme Corporation' }], next: null },
        };
      case 'orgs:get':
        return {
          ok: true,
          data: {
            organization: {
              id: ORG,
              name: 'acme',
              displayName: 'Acme Corporation',
              colors: { primary: '#0055aa' },
            },
            connections: [
              {
                connectionId: 'con_1',
                name: 'Username-Password-Authentication',
                strategy: 'auth0',
                assignMembershipOnLogin: false,
                showAsButton: true,
              },
            ],
            memberCount: 2,
          },
        };
      case 'orgs:members':
        return {
          ok: true,
          data: {
            members: [
              { userId: 'auth0|1', email: 'ada@acme.example', roles: [admin] },
              { userId: 'auth0|2', email: 'grace@acme.example', roles: [] },
            ],
            next: null,
          },
        };
      case 'roles:search':
        return { ok: true, data: { roles: [admin, agent], total: 2 } };
      case 'clients:list':
        return {
          ok: true,
          data: [
            { clientId: 'm2m', name: 'admin', appType: 'non_interactive' },
            { clientId: 'spa', name: 'Tenant Desk Demo App', appType: 'spa' },
          ],
        };
      case 'orgs:create-invitation':
        return {
          ok: true,
          data: {
            invitation: {
              id: 'uinv_1',
              inviter: 'Sam',
              invitee: 'new@acme.example',
              clientId: 'spa',
              roles: [],
            },
            url: 'https://acme.example/login?invitation=abc',
          },
        };
      case 'orgs:invitations':
        return { ok: true, data: [] };
      case 'orgs:remove-members':
        return { ok: true, data: { removed: 1 } };
      case 'orgs:assign-member-roles':
        return { ok: true, data: [agent] };
      case 'bulk:plan':
        return { ok: false, error: { code: 'internal', message: 'not here', retryable: false } };
      default:
        return { ok: true, data: [] };
    }
  });
  useTenantsStore.setState({ tenants: [tenant], loaded: true });
  useAppStore.setState({ activeTenantId: tenant.id, view: 'organizations', capabilities: {} });
});
afterEach(cleanup);

async function openAcme() {
  render(
    <>
      <OrganizationsScreen tenant={tenant} />
      <GuardDialog />
    </>,
  );
  fireEvent.click(await screen.findByRole('button', { name: /Acme Corporation/ }));
  await screen.findByText('ada@acme.example');
}

it('opens an organization: connections, members with their organization roles; removes one and gives a role', async () => {
  await openAcme();
  expect(document.body.textContent).toContain('Username-Password-Authentication (auth0) · members only');
  const ada = screen.getByText('ada@acme.example').closest('tr')!;
  expect(ada.textContent).toContain('Admin');

  const grace = screen.getByText('grace@acme.example').closest('tr')!;
  fireEvent.change(within(grace).getByLabelText(/Give grace@acme.example an organization role/), {
    target: { value: 'rol_agent' },
  });
  const give = await screen.findByRole('dialog', { name: 'Give this organization role?' });
  expect(give.textContent).toContain('grace@acme.example gets Support Agent in this organization only');
  fireEvent.click(within(give).getByRole('button', { name: 'Give role' }));
  await waitFor(() => expect(calls('orgs:assign-member-roles')).toHaveLength(1));
  expect(calls('orgs:assign-member-roles')[0]![1]).toEqual({
    tenantId: tenant.id,
    orgId: ORG,
    userId: 'auth0|2',
    roleIds: ['rol_agent'],
    guard: { confirmed: true },
  });

  fireEvent.click(await screen.findByRole('button', { name: 'Remove ada@acme.example' }));
  const remove = await screen.findByRole('dialog', { name: 'Remove this member?' });
  // Destructive on production: the domain typed back first.
  const go = within(remove).getByRole<HTMLButtonElement>('button', { name: 'Remove member' });
  expect(go.disabled).toBe(true);
  fireEvent.change(within(remove).getByLabelText(/to confirm/), { target: { value: tenant.domain } });
  fireEvent.click(go);
  await waitFor(() => expect(calls('orgs:remove-members')).toHaveLength(1));
  expect(calls('orgs:remove-members')[0]![1]).toMatchObject({ orgId: ORG, userIds: ['auth0|1'] });
});

it('invites to the organization: the application chosen among interactive ones, the link shown once', async () => {
  await openAcme();
  fireEvent.click(screen.getByRole('tab', { name: 'Invitations' }));
  fireEvent.click(await screen.findByRole('button', { name: 'Invite…' }));
  const dialog = await screen.findByRole('dialog', { name: 'Invite to the organization' });
  await waitFor(() =>
    expect(within(dialog).getByLabelText<HTMLSelectElement>('Application the link opens').value).toBe('spa'),
  );
  expect(within(dialog).queryByRole('option', { name: 'admin' })).toBeNull();
  fireEvent.change(within(dialog).getByLabelText(/Invited by/), { target: { value: 'Sam' } });
  fireEvent.change(within(dialog).getByLabelText('Email'), { target: { value: 'new@acme.example' } });
  fireEvent.click(within(dialog).getByLabelText('Admin'));
  fireEvent.submit(dialog.querySelector('form')!);
  const guard = await screen.findByRole('dialog', { name: 'Send this invitation?' });
  fireEvent.click(within(guard).getByRole('button', { name: 'Invite' }));
  await waitFor(() => expect(calls('orgs:create-invitation')).toHaveLength(1));
  expect(calls('orgs:create-invitation')[0]![1]).toMatchObject({
    orgId: ORG,
    inviter: 'Sam',
    email: 'new@acme.example',
    clientId: 'spa',
    roleIds: ['rol_admin'],
    ttlSec: 7 * 86_400,
    sendEmail: true,
  });
  const link = await screen.findByLabelText('Invitation link (shown once)');
  expect((link as HTMLInputElement).value).toBe('https://acme.example/login?invitation=abc');
});

it('hands the organization to Bulk edits: users by query added to it', async () => {
  await openAcme();
  fireEvent.click(screen.getByRole('button', { name: 'Add users by query or list…' }));
  expect(useAppStore.getState().view).toBe('bulk');
  expect(useBulkStore.getState().of(tenant.id)).toMatchObject({
    kind: 'org-add',
    orgId: ORG,
    source: 'query',
  });
  cleanup();
  render(<BulkForm tenant={tenant} />);
  expect(screen.getByLabelText<HTMLSelectElement>('Add to organization').value).toBe(ORG);
  fireEvent.change(screen.getByRole('textbox', { name: /Query/ }), {
    target: { value: 'email:*@acme.example' },
  });
  fireEvent.submit(screen.getByRole('form', { name: 'New bulk edit' }));
  await waitFor(() => expect(calls('bulk:plan')).toHaveLength(1));
  expect(calls('bulk:plan')[0]![1]).toMatchObject({
    source: { kind: 'query', q: 'email:*@acme.example' },
    change: { kind: 'org-add', orgId: ORG },
  });
});

it('says what the grant lacks and asks nothing without read:organizations', async () => {
  useAppStore.setState({
    capabilities: {
      [tenant.id]: { 'orgs:read': { allowed: false, missingScopes: ['read:organizations'] } } as never,
    },
  });
  render(<OrganizationsScreen tenant={tenant} />);
  expect(screen.getByRole('note').textContent).toContain('read:organizations');
  expect(calls('orgs:list')).toHaveLength(0);
});
