// @vitest-environment happy-dom
// Imports: a CSV's mapping step asks main to check the file again with the whole mapping (same import, same upload)
// and shows the new preview, dropping an older answer that arrives late; a metadata key is checked before it is sent;
// rows with problems keep the import from starting; the upsert warning shows exactly when upsert is ticked.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { tenantProfile } from './fixtures';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportPreview, TenantProfile } from '../../preload/contract';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { useImportsStore, freshDraft, splitTarget, keyFromColumn, newImportId } =
  await import('../../renderer/src/features/imports/store');
const { useAppStore } = await import('../../renderer/src/stores/app');
const { ImportForm, UPSERT_WARNING } = await import('../../renderer/src/features/imports/ImportForm');
const { GuardDialog } = await import('../../renderer/src/ui/GuardDialog');

const T = 'ten_1';
const tenant: TenantProfile = tenantProfile({ id: T, domain: 'acme-dev.example.com' });
const IMPORT_ID = 'imp_0123456789abcdef';
const UPLOAD_ID = `up_${'a'.repeat(32)}`;
const preview = (over: Partial<ImportPreview> = {}): ImportPreview => ({
  importId: IMPORT_ID,
  tenantId: T,
  fileName: 'people.csv',
  bytes: 2048,
  format: 'csv',
  connection: { id: 'con_db', name: 'Username-Password-Authentication' },
  converted: false,
  notes: [],
  columns: ['Email', 'Full name', 'Plan'],
  mapping: { Email: 'email', 'Full name': 'name', Plan: '' },
  sample: [['ann@example.com', 'Ann', 'pro']],
  rows: 3,
  valid: 3,
  errors: [],
  errorCount: 0,
  chunks: 1,
  ready: true,
  ...over,
});

function seed(p: ImportPreview) {
  useImportsStore.setState({
    drafts: {
      [T]: {
        ...freshDraft(),
        file: { name: 'people.csv', bytes: 2048 },
        uploadId: UPLOAD_ID,
        importId: IMPORT_ID,
        connectionId: 'con_db',
        preview: { state: 'ready', data: p },
      },
    },
    connections: {
      [T]: {
        state: 'ready',
        data: [
          {
            id: 'con_db',
            name: 'Username-Password-Authentication',
            strategy: 'auth0',
            isDatabase: true,
            passwordPolicy: null,
            minLength: null,
            requiresUsername: false,
            syncsProfileAttributes: false,
          },
        ],
      },
    },
  });
}

beforeEach(() => {
  invoke.mockReset();
  // A request a test doesn't answer (the started import's task, read to follow it) finds nothing.
  invoke.mockResolvedValue({
    ok: false,
    error: { code: 'not_found', message: 'No such task.', retryable: false },
  });
  useAppStore.setState({ capabilities: {} });
  useImportsStore.setState({ drafts: {}, connections: {}, openId: {} });
});
afterEach(cleanup);

describe('the mapping step', () => {
  it('sends the whole mapping again with the same import and upload, and shows the new check', async () => {
    seed(preview());
    const next = preview({
      mapping: { Email: 'email', 'Full name': 'name', Plan: 'user_metadata.Plan' },
      notes: ['Plan goes into user_metadata.Plan'],
    });
    invoke.mockResolvedValueOnce({ ok: true, data: next });
    render(<ImportForm tenant={tenant} />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Column Plan goes to' }), {
      target: { value: 'user_metadata.' },
    });
    expect(invoke).toHaveBeenCalledWith('imports:prepare', {
      tenantId: T,
      importId: IMPORT_ID,
      uploadId: UPLOAD_ID,
      fileName: 'people.csv',
      connectionId: 'con_db',
      mapping: { Email: 'email', 'Full name': 'name', Plan: 'user_metadata.Plan' },
    });
    // While it is checked, the previous preview stays, marked.
    expect(screen.getByText('Checking the file again…')).toBeTruthy();
    await screen.findByText('Plan goes into user_metadata.Plan');
    expect(screen.queryByText('Checking the file again…')).toBeNull();
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Key' }).value).toBe('Plan');

    // Renaming the key sends it (on Enter); an invalid one is refused beside the field, nothing sent.
    const key = screen.getByRole('textbox', { name: 'Key' });
    fireEvent.change(key, { target: { value: 'pl$an' } });
    fireEvent.keyDown(key, { key: 'Enter' });
    expect(screen.getByRole('alert').textContent).toMatch(/cannot contain/);
    expect(invoke).toHaveBeenCalledTimes(1);
    invoke.mockResolvedValueOnce({
      ok: true,
      data: preview({ mapping: { Email: 'email', 'Full name': 'name', Plan: 'user_metadata.plan' } }),
    });
    fireEvent.change(key, { target: { value: 'plan' } });
    fireEvent.keyDown(key, { key: 'Enter' });
    expect(invoke).toHaveBeenLastCalledWith(
      'imports:prepare',
      expect.objectContaining({
        mapping: { Email: 'email', 'Full name': 'name', Plan: 'user_metadata.plan' },
      }),
    );
  });

  it('a column the mapping does not name says so, and choosing "Ignored" sends it as ignored', () => {
    seed(preview({ mapping: { Email: 'email', 'Full name': 'name' } }));
    invoke.mockResolvedValueOnce({ ok: true, data: preview() });
    render(<ImportForm tenant={tenant} />);
    const plan = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Column Plan goes to' });
    expect(plan.selectedOptions[0]!.textContent).toBe('Not mapped: choose');
    fireEvent.change(plan, { target: { value: '' } });
    expect(invoke).toHaveBeenCalledWith(
      'imports:prepare',
      expect.objectContaining({ mapping: { Email: 'email', 'Full name': 'name', Plan: '' } }),
    );
  });

  it('drops a check that answers after a newer one', async () => {
    seed(preview());
    let first: (v: unknown) => void = () => undefined;
    invoke.mockReturnValueOnce(new Promise((r) => (first = r))).mockResolvedValueOnce({
      ok: true,
      data: preview({ mapping: { Email: 'email', 'Full name': '', Plan: '' } }),
    });
    const store = useImportsStore.getState();
    const a = store.remap(T, 'Plan', 'app_metadata.plan');
    const b = store.remap(T, 'Full name', '');
    await b;
    first({
      ok: true,
      data: preview({ mapping: { Email: 'email', 'Full name': 'name', Plan: 'app_metadata.plan' } }),
    });
    await a;
    const d = useImportsStore.getState().of(T);
    // The second request carried both changes; its answer is the one shown.
    expect(invoke.mock.calls[1]![1].mapping).toEqual({
      Email: 'email',
      'Full name': '',
      Plan: 'app_metadata.plan',
    });
    expect(d.preview?.state === 'ready' && d.preview.data.mapping).toEqual({
      Email: 'email',
      'Full name': '',
      Plan: '',
    });
    expect(d.checking).toBe(false);
  });

  it('a failed check keeps the previous preview and says why, and the import cannot start', async () => {
    seed(preview());
    invoke.mockResolvedValueOnce({
      ok: false,
      error: { code: 'validation', message: 'Two columns go to email.', retryable: false },
    });
    render(<ImportForm tenant={tenant} />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Column Full name goes to' }), {
      target: { value: 'email' },
    });
    await screen.findByText('Two columns go to email.');
    expect(screen.getAllByText(/Also chosen for/).length).toBeGreaterThan(0);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: /Start: import/ }).disabled).toBe(true);
  });
});

describe('row problems and options', () => {
  it('lists each row problem in words and keeps the import from starting', () => {
    seed(
      preview({
        valid: 2,
        errorCount: 1,
        errors: [{ row: 3, field: 'email', message: 'Not an email address: "ann at example"' }],
      }),
    );
    render(<ImportForm tenant={tenant} />);
    const table = screen.getByRole('table', { name: 'Problems in the file, by row' });
    expect(within(table).getByText('Not an email address: "ann at example"')).toBeTruthy();
    expect(within(table).getByText('3')).toBeTruthy();
    expect(screen.getByText(/cannot start while rows have problems/)).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: /Start: import/ }).disabled).toBe(true);
  });

  it('shows the upsert warning only while upsert is ticked; the completion email is off by default', () => {
    seed(preview());
    render(<ImportForm tenant={tenant} />);
    expect(screen.queryByText(UPSERT_WARNING)).toBeNull();
    expect(
      screen.getByRole<HTMLInputElement>('checkbox', { name: /Email the tenant.s administrators/ }).checked,
    ).toBe(false);
    const upsert = screen.getByRole('checkbox', { name: 'Update users that already exist (upsert)' });
    fireEvent.click(upsert);
    expect(screen.getByRole('note').textContent).toBe(
      'Auth0 replaces app_metadata and user_metadata of existing users on upsert; it does not merge them.',
    );
    fireEvent.click(upsert);
    expect(screen.queryByText(UPSERT_WARNING)).toBeNull();
  });
});

it('splits targets, suggests keys and makes import ids the contract accepts', () => {
  expect(splitTarget('user_metadata.plan')).toEqual({ kind: 'user_metadata.', key: 'plan' });
  expect(splitTarget('email')).toEqual({ kind: 'email', key: '' });
  expect(splitTarget('')).toEqual({ kind: '', key: '' });
  expect(keyFromColumn(' Home city ')).toBe('Home_city');
  expect(keyFromColumn('a.b$c')).toBe('a_b_c');
  expect(newImportId()).toMatch(/^imp_[0-9a-f]{16}$/);
});

it('on a production tenant, Start asks for the domain and the number of users, and sends them', async () => {
  const prod: TenantProfile = { ...tenant, environment: 'production', domain: 'acme.example.com' };
  seed(preview());
  invoke.mockResolvedValueOnce({
    ok: true,
    data: {
      importId: IMPORT_ID,
      tenantId: T,
      tenantDomain: prod.domain,
      fileName: 'people.csv',
      format: 'csv',
      connectionId: 'con_db',
      connectionName: 'Username-Password-Authentication',
      upsert: false,
      sendCompletionEmail: false,
      createdAt: '2026-11-24T00:00:00.000Z',
      status: 'running',
      rows: 3,
      chunks: [],
      counts: { inserted: 0, updated: 0, failed: 0, total: 0 },
    },
  });
  render(
    <>
      <ImportForm tenant={prod} />
      <GuardDialog />
    </>,
  );
  fireEvent.click(screen.getByRole('button', { name: /Start: import 3 users/ }));
  const dialog = await screen.findByRole('dialog');
  const submit = within(dialog).getByRole<HTMLButtonElement>('button', { name: 'Start: import 3 users' });
  fireEvent.change(within(dialog).getByRole('textbox', { name: /Type acme.example.com/ }), {
    target: { value: 'acme.example.com' },
  });
  expect(submit.disabled).toBe(true);
  fireEvent.change(within(dialog).getByRole('textbox', { name: /number of users/ }), {
    target: { value: '3' },
  });
  expect(submit.disabled).toBe(false);
  fireEvent.click(submit);
  await waitFor(() => expect(useImportsStore.getState().openId[T]).toBe(IMPORT_ID));
  expect(invoke).toHaveBeenCalledWith('imports:start', {
    importId: IMPORT_ID,
    upsert: false,
    sendCompletionEmail: false,
    guard: { confirmed: true, typedDomain: 'acme.example.com', typedCount: 3 },
  });
  // The draft is cleared for the next file; the connection stays chosen.
  expect(useImportsStore.getState().of(T)).toMatchObject({
    file: null,
    importId: null,
    connectionId: 'con_db',
  });
});
