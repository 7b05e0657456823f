// @vitest-environment happy-dom
// A reason in the guard dialog: on a tenant that requires one, every write to it asks (a development tenant too),
// the button stays disabled until a ticket or a note is given, and the write carries it; elsewhere the dialog offers
// it as optional, and a write the guard doesn't ask about is sent without a dialog.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { guardedInvoke } = await import('../../renderer/src/stores/guard');
const { GuardDialog } = await import('../../renderer/src/ui/GuardDialog');

beforeEach(() => {
  invoke.mockReset();
  invoke.mockResolvedValue({ ok: true, data: {} });
});
afterEach(cleanup);

const input = { tenantId: 'ten_1', userId: 'auth0|1', blocked: false };
const copy = { title: 'Unblock this user?', body: 'They can sign in again.', confirmLabel: 'Unblock' };

it('asks for a reason on a tenant that requires one, and sends it with the write', async () => {
  render(<GuardDialog />);
  const tenant = tenantProfile({ requireReason: true, label: 'Acme dev' });
  const sent = guardedInvoke(tenant, 'users:set-blocked', input, copy);
  const dialog = await screen.findByRole('dialog');
  expect(dialog.textContent).toContain('Acme dev asks for a ticket or a note on every write');
  const button = within(dialog).getByRole<HTMLButtonElement>('button', { name: 'Unblock' });
  expect(button.disabled).toBe(true);
  fireEvent.change(within(dialog).getByLabelText('Ticket'), { target: { value: ' INC-4711 ' } });
  expect(button.disabled).toBe(false);
  fireEvent.click(button);
  await sent;
  expect(invoke).toHaveBeenCalledWith('users:set-blocked', { ...input, reason: { ticket: 'INC-4711' } });
});

it('offers it as optional where the guard asks anyway, and sends no dialog where it does not', async () => {
  render(<GuardDialog />);
  const prod = tenantProfile({ environment: 'production', label: 'Acme prod' });
  const sent = guardedInvoke(prod, 'users:set-blocked', input, copy);
  const dialog = await screen.findByRole('dialog');
  expect(dialog.textContent).toContain('optional; kept in the audit log');
  fireEvent.click(within(dialog).getByRole('button', { name: 'Unblock' }));
  await sent;
  expect(invoke).toHaveBeenCalledWith('users:set-blocked', { ...input, guard: { confirmed: true } });
  invoke.mockClear();
  await guardedInvoke(tenantProfile(), 'users:set-blocked', input, copy);
  await waitFor(() => expect(invoke).toHaveBeenCalledWith('users:set-blocked', input));
  expect(screen.queryByRole('dialog')).toBeNull();
});
