import { useId, useState, type FormEvent } from 'react';
import type { AuthMethod, Environment, ErrorEnvelope, SecretStorage } from '../../../preload/contract';
import { useAppStore } from '../stores/app';
import { useTenantsStore } from '../stores/tenants';
import { ErrorMessage } from './ErrorMessage';

const DEFAULT_COLORS: Record<Environment, string> = {
  production: '#c62828',
  staging: '#ef6c00',
  development: '#2e7d32',
  custom: '#1565c0',
};

/** Adds a tenant. The secret is write-only: it goes to main once and is never shown or read back. */
export function TenantForm({ onDone }: { onDone: () => void }) {
  const id = useId();
  const add = useTenantsStore((s) => s.add);
  const busy = useTenantsStore((s) => s.busy === 'adding');
  const keychain = useAppStore((s) => s.keychain);
  const [environment, setEnvironment] = useState<Environment>('development');
  const [color, setColor] = useState(DEFAULT_COLORS.development);
  const [authMethod, setAuthMethod] = useState<AuthMethod>('client_secret');
  const [storage, setStorage] = useState<SecretStorage>(
    keychain && !keychain.available ? 'session' : 'keychain',
  );
  const [error, setError] = useState<ErrorEnvelope | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const result = await add({
      label: text('label'),
      domain: text('domain'),
      clientId: text('clientId'),
      authMethod,
      environment,
      color,
      audience: text('audience') || null,
      caCert: text('caCert') || null,
      secret: String(form.get('secret') ?? ''),
      secretStorage: storage,
    });
    setError(result);
    if (!result) onDone();
  }

  return (
    <form className="tenant-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Add a tenant</h2>
      <label>
        Label
        <input name="label" required maxLength={80} placeholder="Acme production" />
      </label>
      <label>
        Domain
        <input name="domain" required placeholder="acme.eu.auth0.com" autoComplete="off" spellCheck={false} />
      </label>
      <label>
        Client ID
        <input name="clientId" required autoComplete="off" spellCheck={false} />
      </label>
      <fieldset>
        <legend>Authentication</legend>
        <label className="inline">
          <input
            type="radio"
            name="authMethod"
            checked={authMethod === 'client_secret'}
            onChange={() => setAuthMethod('client_secret')}
          />
          Client secret
        </label>
        <label className="inline">
          <input
            type="radio"
            name="authMethod"
            checked={authMethod === 'private_key_jwt'}
            onChange={() => setAuthMethod('private_key_jwt')}
          />
          Private key JWT
        </label>
      </fieldset>
      <label>
        {authMethod === 'client_secret' ? 'Client secret' : 'Private key (PEM)'}
        {authMethod === 'client_secret' ? (
          <input name="secret" type="password" required autoComplete="off" />
        ) : (
          <textarea name="secret" required rows={4} spellCheck={false} className="secret-pem" />
        )}
      </label>
      <fieldset>
        <legend>Keep the secret</legend>
        <label className="inline">
          <input
            type="radio"
            name="storage"
            checked={storage === 'keychain'}
            disabled={keychain?.available === false}
            onChange={() => setStorage('keychain')}
          />
          In the OS keychain
        </label>
        <label className="inline">
          <input
            type="radio"
            name="storage"
            checked={storage === 'session'}
            onChange={() => setStorage('session')}
          />
          For this session only (forgotten when Tenant Desk quits)
        </label>
      </fieldset>
      <label>
        Environment
        <select
          name="environment"
          value={environment}
          onChange={(e) => {
            const env = e.target.value as Environment;
            setEnvironment(env);
            setColor(DEFAULT_COLORS[env]);
          }}
        >
          <option value="production">Production</option>
          <option value="staging">Staging</option>
          <option value="development">Development</option>
          <option value="custom">Custom</option>
        </select>
      </label>
      <label>
        Colour
        <input name="color" type="color" value={color} onChange={(e) => setColor(e.target.value)} />
      </label>
      <details>
        <summary>Advanced</summary>
        <label>
          Audience (optional)
          <input name="audience" type="url" placeholder="https://acme.eu.auth0.com/api/v2/" />
        </label>
        <label>
          CA certificate to trust (PEM, optional)
          <textarea name="caCert" rows={4} spellCheck={false} placeholder="-----BEGIN CERTIFICATE-----" />
        </label>
      </details>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add tenant'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
