// @vitest-environment happy-dom
// The column chooser says why a metadata column can't be added, beside the field, instead of ignoring it.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';

vi.mock('../../renderer/src/bridge', () => ({
  bridge: { invoke: vi.fn(async () => ({ ok: true, data: {} })), on: vi.fn(() => () => undefined) },
}));
const { ColumnChooser } = await import('../../renderer/src/features/users/ColumnChooser');
afterEach(cleanup);

it('refuses an invalid or repeated path in words and adds a valid one', () => {
  const onChange = vi.fn();
  render(<ColumnChooser columns={['email', 'app_metadata.plan']} onChange={onChange} />);
  const field = screen.getByRole('textbox', { name: 'Metadata column' });
  const add = screen.getByRole('button', { name: 'Add column' });
  fireEvent.change(field, { target: { value: 'plan' } });
  fireEvent.click(add);
  expect(screen.getByRole('alert').textContent).toMatch(/app_metadata\. or user_metadata\./);
  expect(field.getAttribute('aria-invalid')).toBe('true');
  fireEvent.change(field, { target: { value: 'app_metadata..plan' } });
  fireEvent.click(add);
  expect(screen.getByRole('alert')).toBeTruthy();
  fireEvent.change(field, { target: { value: 'app_metadata.plan' } });
  fireEvent.click(add);
  expect(screen.getByRole('alert').textContent).toBe('app_metadata.plan is shown already.');
  expect(onChange).not.toHaveBeenCalled();
  fireEvent.change(field, { target: { value: ' user_metadata.address.city ' } });
  expect(screen.queryByRole('alert')).toBeNull();
  fireEvent.click(add);
  expect(onChange).toHaveBeenCalledWith(['email', 'app_metadata.plan', 'user_metadata.address.city']);
});
