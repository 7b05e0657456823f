import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import {
  hostOfDomain,
  tenantPatch,
  tenantsChannels,
  type AuthMethod,
  type ChannelInput,
  type Environment,
  type ErrorEnvelope,
  type SecretStorage,
  type TenantProfile,
} from '../../../../preload/contract';
import { fieldErrors, unplacedError, type FieldErrors } from '../../fields';
import { formatBytes } from '../../format';
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

/** The most a CA certificate file may be (the contract's limit on the PEM text). */
export const CA_FILE_MAX_BYTES = 64 * 1024;
const CERT_BEGIN = '-----BEGIN CERTIFICATE-----';

/** A CA certificate file picked in the form, read as text here (a public certificate, not a secret): its PEM or why not. */
export async function readCaFile(file: File): Promise<{ pem: string } | { problem: string }> {
  if (file.size > CA_FILE_MAX_BYTES)
    return {
      problem: `${file.name} is ${formatBytes(file.size)}; a CA certificate file may be at most ${formatBytes(CA_FILE_MAX_BYTES)}.`,
    };
  const text = await file.text();
  if (!text.includes(CERT_BEGIN))
    return {
      problem: `${file.name} has no ${CERT_BEGIN} line: choose a PEM certificate (a binary DER file can be converted with openssl x509 -inform der).`,
    };
  return { pem: text.trim() };
}

/** The contract's own check of a form's input, run before anything is sent: an envelope like main's, or null. */
function checked(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  if (result.success || !result.error) return null;
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  return {
    code: 'validation',
    message: issues.map((i) => i.message).join('; '),
    details: { issues },
  } as ErrorEnvelope;
}

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

/**
 * The secret input: masked for a client secret, a PEM box for a private key. Write-only: never filled back. With
 * `problem`, what is wrong with it, beside it.
 */
export function SecretInput({
  authMethod,
  label,
  problem,
}: {
  authMethod: AuthMethod;
  label?: string;
  problem?: string;
}) {
  const id = useId();
  const props = {
    name: 'secret',
    required: true,
    'aria-invalid': !!problem,
    'aria-describedby': problem ? `${id}-error` : undefined,
  };
  return (
    <>
      <label>
        {label ?? (authMethod === 'client_secret' ? 'Client secret' : 'Private key (PEM)')}
        {authMethod === 'client_secret' ? (
          <input {...props} type="password" autoComplete="off" />
        ) : (
          <textarea {...props} rows={4} spellCheck={false} className="secret-pem" />
        )}
      </label>
      <FieldError id={`${id}-error`} message={problem} />
    </>
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
  const [caCert, setCaCert] = useState('');
  /** What is wrong with the CA certificate file picked (too large, not a PEM certificate). */
  const [caFileProblem, setCaFileProblem] = useState<string | null>(null);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const [advanced, setAdvanced] = useState(!!tenant && (tenant.hasCaCert || tenant.audience !== null));
  /** Counts the submits that found a problem: each one moves focus to the first field marked. */
  const [refused, setRefused] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const title = tenant ? `Edit ${tenant.label}` : 'Add a tenant';
  const errors: FieldErrors = {
    ...fieldErrors(error, tenant ? 'patch.' : ''),
    ...(caFileProblem ? { caCert: caFileProblem } : {}),
  };
  // A problem in the Advanced part opens it, so the field marked can be seen and focused.
  const advancedShown = advanced || !!errors.audience || !!errors.caCert;
  useEffect(() => {
    if (!refused) return;
    const first = form.current?.querySelector<HTMLElement>('[aria-invalid="true"], .tenant-form-error');
    first?.focus();
    first?.scrollIntoView?.({ block: 'center' });
  }, [refused]);
  /** What a field needs to point at its problem. */
  const fieldProps = (name: string) => ({
    'aria-invalid': !!errors[name],
    'aria-describedby': errors[name] ? `${id}-${name}-error` : undefined,
  });
  const problem = (name: string) => <FieldError id={`${id}-${name}-error`} message={errors[name]} />;

  async function pickCaFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    // Emptied, so that choosing the same file again (after fixing it) is a change too.
    e.target.value = '';
    if (!file) return;
    const read = await readCaFile(file);
    if ('problem' in read) return setCaFileProblem(read.problem);
    setCaFileProblem(null);
    setCaCert(read.pem);
  }

  /** Shows a problem: beside its field when it has one, and focus goes to the first field marked. */
  function refuse(problem: ErrorEnvelope) {
    setError(problem);
    setRefused((n) => n + 1);
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    if (caFileProblem) return setRefused((n) => n + 1);
    const fields = {
      label: text('label'),
      // A URL or a host with a path is taken as its host (the contract does the same in main).
      domain: hostOfDomain(text('domain')),
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
      const secret = String(form.get('secret') ?? '');
      const problem =
        checked(tenantPatch.safeParse(patch)) ??
        (authChanged && !secret
          ? ({
              code: 'validation',
              message: 'Secret is required',
              details: { issues: [{ path: 'secret', message: 'Secret is required' }] },
            } as ErrorEnvelope)
          : null);
      if (problem) {
        // The patch's issues read as main's do ("patch.domain").
        const issues = (problem.details as { issues: { path: string; message: string }[] }).issues;
        return refuse({
          ...problem,
          details: {
            issues: issues.map((i) => (i.path === 'secret' ? i : { ...i, path: `patch.${i.path}` })),
          },
        });
      }
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
          { secret, secretStorage: tenant.secretStorage ?? storageChoice },
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
      const input = {
        ...fields,
        caCert: text('caCert') || null,
        secret: String(form.get('secret') ?? ''),
        secretStorage: storageChoice,
      };
      const problem = checked(tenantsChannels['tenants:add'].input.safeParse(input));
      if (problem) return refuse(problem);
      result = await add(input);
    }
    if (result) return refuse(result);
    setError(null);
    onDone();
  }

  return (
    <form
      ref={form}
      className="tenant-form"
      onSubmit={submit}
      aria-labelledby={`${id}-title`}
      // Every problem is said beside its field, in the form's words (the browser's bubbles would say less).
      noValidate
    >
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
          aria-describedby={errors.domain ? `${id}-domain-error` : `${id}-domain-hint`}
          // A pasted URL ("https://acme.eu.auth0.com/") is shown as the host it is taken as.
          onBlur={(e) => {
            const host = hostOfDomain(e.currentTarget.value);
            if (host) e.currentTarget.value = host;
          }}
        />
      </label>
      {problem('domain')}
      <span id={`${id}-domain-hint`} className="hint">
        The host, with its port if it has one; a pasted URL is cut to its host.
      </span>
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
          <SecretInput authMethod={authMethod} problem={errors.secret} />
          <SecretStorageChoice value={storageChoice} onChange={setStorage} />
        </>
      )}
      {authChanged && (
        <SecretInput
          authMethod={authMethod}
          problem={errors.secret}
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
      <details open={advancedShown} onToggle={(e) => setAdvanced(e.currentTarget.open)}>
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
            value={caCert}
            onChange={(e) => {
              setCaCert(e.target.value);
              setCaFileProblem(null);
            }}
            {...fieldProps('caCert')}
          />
        </label>
        <label>
          Or read it from a file (.pem, .crt or .cer, at most {formatBytes(CA_FILE_MAX_BYTES)})
          <input
            type="file"
            accept=".pem,.crt,.cer"
            onChange={(e) => void pickCaFile(e)}
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
      <div className="tenant-form-error" tabIndex={-1}>
        <ErrorMessage
          error={unplacedError(error, errors, [
            'label',
            'domain',
            'clientId',
            'color',
            'audience',
            'caCert',
            'secret',
          ])}
        />
      </div>
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
