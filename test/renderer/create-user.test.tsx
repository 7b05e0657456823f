// @vitest-environment happy-dom
// Create user knows the connection's password policy: a weak password is said beside its field before any
// confirmation is asked and before anything is sent; a strong one goes to the guard and on to main.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { ConnectionSummary } from '../../preload/contract';
import { passwordProblem } from '../../preload/contract';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { CreateUserDialog } = await import('../../renderer/src/features/users/CreateUserDialog');
const { GuardDialog } = await import('../../renderer/src/ui/GuardDialog');
const { useGuardStore } = await import('../../renderer/src/stores/guard');

const db: ConnectionSummary = {
  id: 'con_1',
  name: 'Username-Password-Authentication',
  strategy: 'auth0',
  isDatabase: true,
  passwordPolicy: 'good',
  minLength: 8,
  requiresUsername: false,
  syncsProfileAttributes: false,
};

beforeEach(() => {
  // A guard dialog a test left open is not the next test's.
  useGuardStore.getState().request?.resolve(null);
  invoke.mockReset();
  invoke.mockResolvedValue({ ok: true, data: { user_id: 'auth0|new', email: 'new@example.com' } });
});
afterEach(cleanup);

it('the policy rules: each level as Auth0 applies it', () => {
  expect(passwordProblem('good', 8, 'abcdefgh')).toMatch(
    /^Too weak .*\(good\): At least 8 characters, 3 of 4 kinds/,
  );
  expect(passwordProblem('good', 8, 'abcdEF12')).toBeNull();
  expect(passwordProblem('fair', 8, 'abcdefg1!')).not.toBeNull();
  expect(passwordProblem('fair', 8, 'abcdEfg1')).toBeNull();
  expect(passwordProblem('low', 6, 'abcde')).not.toBeNull();
  expect(passwordProblem('low', 6, 'abcdef')).toBeNull();
  expect(passwordProblem('excellent', 8, 'aaaBBB111!')).not.toBeNull();
  expect(passwordProblem('excellent', 8, 'abAB12!?xy')).toBeNull();
  expect(passwordProblem('good', 12, 'abcD12!?x')).not.toBeNull();
  expect(passwordProblem('none', null, 'x')).toBeNull();
});

it('says a weak password beside its field before asking anything, and sends a strong one', async () => {
  const prod = tenantProfile({ environment: 'production', label: 'Acme prod' });
  render(
    <>
      <CreateUserDialog tenant={prod} connections={[db]} onClose={() => undefined} />
      <GuardDialog />
    </>,
  );
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'new@example.com' } });
  const password = screen.getByLabelText('Password');
  fireEvent.change(password, { target: { value: 'weakpass' } });
  fireEvent.click(screen.getByRole('button', { name: 'Create user' }));
  await waitFor(() => expect(password.getAttribute('aria-invalid')).toBe('true'));
  expect(document.body.textContent).toContain('Too weak for this connection’s password policy (good)');
  expect(screen.queryByText('Create this user?')).toBeNull();
  expect(invoke).not.toHaveBeenCalled();

  fireEvent.change(password, { target: { value: 'Strong-Pass-42' } });
  fireEvent.click(screen.getByRole('button', { name: 'Create user' }));
  expect(await screen.findByText('Create this user?')).toBeTruthy();
});

it('asks a username where the connection requires one, and says one it won’t take beside the field first', async () => {
  const named: ConnectionSummary = {
    ...db,
    id: 'con_2',
    name: 'Staff',
    requiresUsername: true,
    usernameLength: { min: 3, max: 15 },
  };
  render(
    <>
      <CreateUserDialog tenant={tenantProfile()} connections={[named]} onClose={() => undefined} />
      <GuardDialog />
    </>,
  );
  expect(document.body.textContent).toContain('Staff asks for a username: 3 to 15 characters');
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'Strong-Pass-42' } });
  const username = screen.getByLabelText('Username');
  for (const [bad, words] of [
    ['', 'This connection asks for a username.'],
    ['ada.lovelace.countess', 'A username here is 3 to 15 characters long (this one is 21).'],
    ['ada lovelace', "A username has letters, digits and _+-.!#$'^`~@ only."],
  ] as const) {
    fireEvent.change(username, { target: { value: bad } });
    fireEvent.click(screen.getByRole('button', { name: 'Create user' }));
    await waitFor(() => expect(username.getAttribute('aria-invalid')).toBe('true'));
    expect(document.body.textContent).toContain(words);
    expect(invoke).not.toHaveBeenCalled();
  }
  fireEvent.change(username, { target: { value: 'ada_l' } });
  fireEvent.click(screen.getByRole('button', { name: 'Create user' }));
  await waitFor(() => expect(invoke).toHaveBeenCalled());
  expect(invoke.mock.calls[0]![1]).toMatchObject({ connection: 'Staff', username: 'ada_l' });
});
