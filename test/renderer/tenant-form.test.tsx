// @vitest-environment happy-dom
// The tenant form: a pasted URL is taken as its host (the port kept), in the window and in the contract main checks
// with; every problem is said beside its field and focus goes to the first one; a CA certificate can be read from a
// file (a PEM certificate of at most 64 KB), with the reason beside the field when it can't.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hostOfDomain, tenantsChannels } from '../../preload/contract';
import { tenantProfile } from './fixtures';

const invoke = vi.fn();
vi.mock('../../renderer/src/bridge', () => ({ bridge: { invoke, on: vi.fn(() => () => undefined) } }));
const { TenantForm } = await import('../../renderer/src/features/tenants/TenantForm');

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

beforeEach(() => {
  invoke.mockReset();
  invoke.mockImplementation(async (channel: string) =>
    channel === 'tenants:list' ? { ok: true, data: [] } : { ok: true, data: tenantProfile() },
  );
});
afterEach(cleanup);

function fill(values: Record<string, string>) {
  for (const [label, value] of Object.entries(values))
    fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

const addCalls = () => invoke.mock.calls.filter(([c]) => c === 'tenants:add');
const describedBy = (el: HTMLElement) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

describe('the domain', () => {
  it('is the host (and port) of a pasted URL, in the contract main checks with', () => {
    expect(hostOfDomain('https://Acme.eu.auth0.com/')).toBe('acme.eu.auth0.com');
    expect(hostOfDomain('acme.eu.auth0.com/api/v2/')).toBe('acme.eu.auth0.com');
    expect(hostOfDomain(' https://127.0.0.1:8443/ ')).toBe('127.0.0.1:8443');
    const input = {
      label: 'Acme',
      clientId: 'abc',
      environment: 'development',
      color: '#2e7d32',
      secret: 's',
    };
    const parsed = tenantsChannels['tenants:add'].input.safeParse({
      ...input,
      domain: 'https://acme.eu.auth0.com/',
    });
    expect(parsed.success && parsed.data.domain).toBe('acme.eu.auth0.com');
    const local = tenantsChannels['tenants:update'].input.safeParse({
      id: 'ten_1',
      patch: { domain: 'https://127.0.0.1:8443/api/v2/' },
    });
    expect(local.success && local.data.patch.domain).toBe('127.0.0.1:8443');
    const bad = tenantsChannels['tenants:add'].input.safeParse({ ...input, domain: 'not a host' });
    expect(bad.success).toBe(false);
  });

  it('takes https://host/ in the form and sends the host', async () => {
    render(<TenantForm onDone={() => undefined} />);
    fill({
      Label: 'Acme',
      Domain: 'https://acme.eu.auth0.com/',
      'Client ID': 'abc',
      'Client secret': 's3cret',
    });
    const domain = screen.getByLabelText<HTMLInputElement>('Domain');
    fireEvent.blur(domain);
    expect(domain.value).toBe('acme.eu.auth0.com');
    fireEvent.click(screen.getByRole('button', { name: 'Add tenant' }));
    await waitFor(() => expect(addCalls()).toHaveLength(1));
    expect(addCalls()[0]![1]).toMatchObject({ domain: 'acme.eu.auth0.com', label: 'Acme', secret: 's3cret' });
  });
});

describe('problems', () => {
  it('are said beside each field, and focus goes to the first one; nothing is sent', async () => {
    render(<TenantForm onDone={() => undefined} />);
    fill({ Domain: 'https://', 'Client ID': 'abc' });
    fireEvent.click(screen.getByRole('button', { name: 'Add tenant' }));
    const label = screen.getByLabelText('Label');
    await waitFor(() => expect(document.activeElement).toBe(label));
    expect(label.getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(label)).toBe('Label is required');
    const domain = screen.getByLabelText('Domain');
    expect(domain.getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(domain)).toBe('Domain is required');
    const secret = screen.getByLabelText('Client secret');
    expect(secret.getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(secret)).toBe('Secret is required');
    expect(screen.getByLabelText('Client ID').getAttribute('aria-invalid')).toBe('false');
    expect(invoke).not.toHaveBeenCalled();
  });

  it('from main are put beside their field too, and focused', async () => {
    invoke.mockResolvedValue({
      ok: false,
      error: {
        code: 'validation',
        message: 'Bad input',
        details: { issues: [{ path: 'clientId', message: 'No such client on this tenant' }] },
      },
    });
    render(<TenantForm onDone={() => undefined} />);
    fill({ Label: 'Acme', Domain: 'acme.eu.auth0.com', 'Client ID': 'abc', 'Client secret': 's' });
    fireEvent.click(screen.getByRole('button', { name: 'Add tenant' }));
    const clientId = screen.getByLabelText('Client ID');
    await waitFor(() => expect(document.activeElement).toBe(clientId));
    expect(describedBy(clientId)).toBe('No such client on this tenant');
    // Not repeated in a block of its own.
    expect(screen.queryByText('Bad input')).toBeNull();
  });
});

describe('the CA certificate from a file', () => {
  const pick = (file: File) =>
    fireEvent.change(screen.getByLabelText(/Or read it from a file/), { target: { files: [file] } });
  const caBox = () => screen.getByLabelText<HTMLTextAreaElement>(/CA certificate to trust/);

  it('fills the field with a PEM certificate, and sends it', async () => {
    render(<TenantForm onDone={() => undefined} />);
    pick(new File([PEM], 'ca.pem'));
    await waitFor(() => expect(caBox().value).toBe(PEM.trim()));
    expect(caBox().getAttribute('aria-invalid')).toBe('false');
    fill({ Label: 'Local', Domain: '127.0.0.1:8443', 'Client ID': 'abc', 'Client secret': 's' });
    fireEvent.click(screen.getByRole('button', { name: 'Add tenant' }));
    await waitFor(() => expect(addCalls()).toHaveLength(1));
    expect(addCalls()[0]![1]).toMatchObject({ domain: '127.0.0.1:8443', caCert: PEM.trim() });
  });

  it('refuses a file over 64 KB, or one without a certificate, in words beside the field', async () => {
    render(<TenantForm onDone={() => undefined} />);
    pick(new File([PEM + 'x'.repeat(64 * 1024)], 'big.pem'));
    await waitFor(() => expect(caBox().getAttribute('aria-invalid')).toBe('true'));
    expect(describedBy(caBox())).toMatch(
      /^big\.pem is 64.1 KB; a CA certificate file may be at most 64 KB\.$/,
    );
    expect(caBox().value).toBe('');

    pick(new File(['\u0030\u0082binary'], 'ca.cer'));
    await waitFor(() =>
      expect(describedBy(caBox())).toMatch(/^ca\.cer has no -----BEGIN CERTIFICATE----- line/),
    );
    expect(caBox().value).toBe('');

    // Submitting with the problem sends nothing and goes to the field.
    fill({ Label: 'Local', Domain: '127.0.0.1:8443', 'Client ID': 'abc', 'Client secret': 's' });
    fireEvent.click(screen.getByRole('button', { name: 'Add tenant' }));
    await waitFor(() => expect(document.activeElement).toBe(caBox()));
    expect(invoke).not.toHaveBeenCalled();
  });
});
