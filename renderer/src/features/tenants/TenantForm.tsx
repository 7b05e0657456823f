import { useId, useState, type FormEvent } from 'react';
import type {
  AuthMethod,
  ChannelInput,
  Environment,
  ErrorEnvelope,
  SecretStorage,
  TenantProfile,
} from '../../../../preload/contract';
import { fieldErrors, unplacedError } from '../../fields';
import { useAppStore } from '../../stores/app';
import { useTenantsStore } from './store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { FieldError } from '../../ui/FieldError';

const FIELD_LABELS: Record<string, string> = {
  label: 'Label',
  domain: 'Domain',
  clientId: 'Client ID',
  authMethod: 'Authentication',
  environment: 'Environment',
  requireReason: 'Reason on every write',
  color: 'Colour',
  audience: 'Audience',
  caCert: 'CA certificate',
};

export const DEFAULT_COLORS: Record<Environment, string> = {
  production: '#c62828',
  staging: '#ef6c00',
  development: '#2e7d32',
  custom: '#1565c0',
};

type Patch = ChannelInput<'tenants:update'>['patch'];

/** Where the secret goes: the OS keychain (when it works) or memory until quit; says which and why. */
export function SecretStorageChoice({
  value,
  onChange,
}: {
  value: SecretStorage;
  onChange: (storage: SecretStorage) => void;
}) {
  const keychain = useAppStore((s) => s.keychain);
  const id = useId();
  return (
    <fieldset aria-describedby={`${id}-status`}>
      <legend>Keep the secret</legend>
      <label className="inline">
        <input
          type="radio"
          name={`${id}-storage`}
          checked={value === 'keychain'}
          disabled={keychain?.available === false}
          onChange={() => onChange('keychain')}
        />
        In the OS keychain
      </label>
      <label className="inline">
        <input
          type="radio"
          name={`${id}-storage`}
          checked={value === 'session'}
          onChange={() => onChange('session')}
        />
        For this session only (forgotten when Tenant Desk quits)
      </label>
      <p id={`${id}-status`} className={keychain?.available === false ? 'hint warning-text' : 'hint'}>
        {keychain === null
          ? 'Checking the OS keychain…'
          : keychain.available
            ? 'The OS keychain is available. The secret is never shown again once saved.'
            : (keychain.message ?? 'The OS keychain is not available.')}
      </p>
    </fieldset>
  );
}

/** The secret input: masked for a client secret, a PEM box for a private key. Write-only: never filled back. */
export function SecretInput({ authMethod, label }: { authMethod: AuthMethod; label?: string }) {
  return (
    <label>
      {label ?? (authMethod === 'client_secret' ? 'Client secret' : 'Private key (PEM)')}
      {authMethod === 'client_secret' ? (
        <input name="secret" type="password" required autoComplete="off" />
      ) : (
        <textarea name="secret" required rows={4} spellCheck={false} className="secret-pem" />
      )}
    </label>
  );
}

/**
 * Adds a tenant, or edits one (`tenant` given). The secret is write-only: it goes to main once and is never shown or
 * read back; editing leaves it alone (Replace secret does that).
 */
export function TenantForm({ tenant, onDone }: { tenant?: TenantProfile; onDone: () => void }) {
  const id = useId();
  const add = useTenantsStore((s) => s.add);
  const update = useTenantsStore((s) => s.update);
  const setSecret = useTenantsStore((s) => s.setSecret);
  const busy = useTenantsStore((s) => s.busy === 'adding' || (!!tenant && s.busy === `save:${tenant.id}`));
  const keychain = useAppStore((s) => s.keychain);
  const [environment, setEnvironment] = useState<Environment>(tenant?.environment ?? 'development');
  const [color, setColor] = useState(tenant?.color ?? DEFAULT_COLORS.development);
  // Suggested for production: every write asks why (a ticket or a note), kept in the audit log.
  const [requireReason, setRequireReason] = useState(tenant?.requireReason ?? false);
  const [authMethod, setAuthMethod] = useState<AuthMethod>(tenant?.authMethod ?? 'client_secret');
  const [storage, setStorage] = useState<SecretStorage>('keychain');
  // A keychain found unavailable after the form opened still decides: then the session is the only place.
  const storageChoice: SecretStorage = keychain?.available === false ? 'session' : storage;
  const authChanged = !!tenant && authMethod !== tenant.authMethod;
  const [dropCaCert, setDropCaCert] = useState(false);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const title = tenant ? `Edit ${tenant.label}` : 'Add a tenant';
  const errors = fieldErrors(error, tenant ? 'patch.' : '');
  /** What a field needs to point at its problem. */
  const fieldProps = (name: string) => ({
    'aria-invalid': !!errors[name],
    'aria-describedby': errors[name] ? `${id}-${name}-error` : undefined,
  });
  const problem = (name: string) => <FieldError id={`${id}-${name}-error`} message={errors[name]} />;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const fields = {
      label: text('label'),
      domain: text('domain'),
      clientId: text('clientId'),
      authMethod,
      environment,
      color,
      audience: text('audience') || null,
      requireReason,
    };
    let result: ErrorEnvelope | null | 'cancelled';
    if (tenant) {
      // Only what changed; an empty CA box keeps the stored certificate unless the user asked to drop it.
      const patch: Patch = {};
      for (const [key, value] of Object.entries(fields) as [keyof typeof fields, string | boolean | null][])
        if (value !== tenant[key]) Object.assign(patch, { [key]: value });
      if (text('caCert')) patch.caCert = text('caCert');
      else if (dropCaCert) patch.caCert = null;
      const changed = Object.keys(patch) as (keyof Patch)[];
      result = changed.length
        ? await update(tenant, patch, {
            title: `Change ${tenant.label}?`,
            body: (
              <ul className="change-list">
                {changed.map((k) => (
                  <li key={k}>
                    <strong>{FIELD_LABELS[k]}</strong>:{' '}
                    {k === 'caCert'
                      ? patch.caCert
                        ? 'a new CA certificate'
                        : 'stop trusting the stored CA certificate'
                      : `${String(tenant[k as keyof TenantProfile] ?? '—')} → ${String(patch[k] ?? '—')}`}
                  </li>
                ))}
              </ul>
            ),
            confirmLabel: 'Save changes',
          })
        : null;
      // A new auth method needs its own credential: a secret for one is no key for the other.
      if (!result && authChanged)
        result = await setSecret(
          tenant,
          { secret: String(form.get('secret') ?? ''), secretStorage: tenant.secretStorage ?? storageChoice },
          {
            title: `Set the new credential of ${tenant.label}?`,
            body: (
              <p>Its requests use the new {authMethod === 'client_secret' ? 'secret' : 'private key'}.</p>
            ),
            confirmLabel: 'Save credential',
          },
        );
      if (result === 'cancelled') return;
    } else {
      result = await add({
        ...fields,
        caCert: text('caCert') || null,
        secret: String(form.get('secret') ?? ''),
        secretStorage: storageChoice,
      });
    }
    setError(result);
    if (!result) onDone();
  }

  return (
    <form className="tenant-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <label>
        Label
        <input
          name="label"
          {...fieldProps('label')}
          required
          maxLength={80}
          placeholder="Acme production"
          defaultValue={tenant?.label}
        />
      </label>
      {problem('label')}
      <label>
        Domain
        <input
          name="domain"
          {...fieldProps('domain')}
          required
          placeholder="acme.eu.auth0.com"
          autoComplete="off"
          spellCheck={false}
          defaultValue={tenant?.domain}
        />
      </label>
      {problem('domain')}
      <label>
        Client ID
        <input
          name="clientId"
          {...fieldProps('clientId')}
          required
          autoComplete="off"
          spellCheck={false}
          defaultValue={tenant?.clientId}
        />
      </label>
      {problem('clientId')}
      <fieldset>
        <legend>Authentication</legend>
        <label className="inline">
          <input
            type="radio"
            name="authMethod"
            checked={authMethod === 'client_secret'}
            onChange={() => setAuthMethod('client_secret')}
          />
          With a client secret
        </label>
        <label className="inline">
          <input
            type="radio"
            name="authMethod"
            checked={authMethod === 'private_key_jwt'}
            onChange={() => setAuthMethod('private_key_jwt')}
          />
          With a private key (private_key_jwt)
        </label>
      </fieldset>
      {!tenant && (
        <>
          <SecretInput authMethod={authMethod} />
          <SecretStorageChoice value={storageChoice} onChange={setStorage} />
        </>
      )}
      {authChanged && (
        <SecretInput
          authMethod={authMethod}
          label={
            authMethod === 'client_secret'
              ? 'Client secret for the new method'
              : 'Private key (PEM) for the new method'
          }
        />
      )}
      <div className="field-row">
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
          <input
            name="color"
            type="color"
            value={color}
            onChange={(e) => setColor(e.target.value)}
            {...fieldProps('color')}
          />
        </label>
        {problem('color')}
      </div>
      <label className="check">
        <input
          type="checkbox"
          name="requireReason"
          checked={requireReason}
          onChange={(e) => setRequireReason(e.target.checked)}
        />
        Ask for a reason (a ticket or a note) on every write, kept in the audit log
        {environment === 'production' && !requireReason ? ' (suggested for a production tenant)' : ''}
      </label>
      <details open={!!tenant && (tenant.hasCaCert || tenant.audience !== null)}>
        <summary>Advanced</summary>
        <label>
          Audience (optional)
          <input
            name="audience"
            {...fieldProps('audience')}
            type="url"
            placeholder="https://acme.eu.auth0.com/api/v2/"
            defaultValue={tenant?.audience ?? ''}
          />
        </label>
        {problem('audience')}
        <label>
          {tenant?.hasCaCert
            ? 'Replace the trusted CA certificate (PEM; leave empty to keep it)'
            : 'CA certificate to trust (PEM, optional)'}
          <textarea
            name="caCert"
            rows={4}
            spellCheck={false}
            placeholder="-----BEGIN CERTIFICATE-----"
            {...fieldProps('caCert')}
          />
        </label>
        {problem('caCert')}
        {tenant?.hasCaCert && (
          <label className="inline">
            <input type="checkbox" checked={dropCaCert} onChange={(e) => setDropCaCert(e.target.checked)} />
            Stop trusting the stored CA certificate
          </label>
        )}
      </details>
      <ErrorMessage
        error={unplacedError(error, errors, ['label', 'domain', 'clientId', 'color', 'audience', 'caCert'])}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : tenant ? 'Save changes' : 'Add tenant'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
