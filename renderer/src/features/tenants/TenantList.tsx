import { useState } from 'react';
import {
  capabilityNames,
  type ConnectionTestResult,
  type ErrorEnvelope,
  type SecretStorage,
  type TenantProfile,
} from '../../../../preload/contract';
import { useAppStore } from '../../stores/app';
import { useTenantsStore } from './store';
import { ColorSwatch, EnvironmentTag } from '../../ui/EnvironmentTag';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { SecretInput, SecretStorageChoice, TenantForm } from './TenantForm';

function isError(x: ConnectionTestResult | ErrorEnvelope | undefined): x is ErrorEnvelope {
  return !!x && 'code' in x;
}

function TestResult({ result }: { result: ConnectionTestResult | ErrorEnvelope | undefined }) {
  if (!result) return null;
  if (isError(result)) return <ErrorMessage error={result} />;
  return (
    <div className="test-result" role="status">
      <p>
        Connected. Granted scopes: <span className="scopes">{result.scopes.join(' ')}</span>
      </p>
      <ul className="capabilities" aria-label="What this grant allows">
        {capabilityNames.map((cap) => {
          const state = result.capabilities[cap];
          return (
            <li
              key={cap}
              className={state.allowed ? 'allowed' : 'denied'}
              title={state.allowed ? undefined : `Needs ${state.missingScopes.join(', ')}`}
            >
              <span aria-hidden="true">{state.allowed ? '✓' : '✕'}</span> {cap}
              {!state.allowed && (
                <span className="visually-hidden">
                  {' '}
                  (not allowed: needs {state.missingScopes.join(', ')})
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

type Panel = 'edit' | 'secret' | null;

/** Replaces (or forgets) the stored secret; the old one is never shown. */
function SecretPanel({ tenant, onDone }: { tenant: TenantProfile; onDone: () => void }) {
  const setSecret = useTenantsStore((s) => s.setSecret);
  const removeSecret = useTenantsStore((s) => s.removeSecret);
  const busy = useTenantsStore((s) => s.busy === `save:${tenant.id}`);
  const keychain = useAppStore((s) => s.keychain);
  const [storage, setStorage] = useState<SecretStorage>(tenant.secretStorage ?? 'keychain');
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const storageChoice: SecretStorage = keychain?.available === false ? 'session' : storage;
  return (
    <form
      className="panel-form"
      aria-label={`Secret of ${tenant.label}`}
      onSubmit={async (e) => {
        e.preventDefault();
        const secret = String(new FormData(e.currentTarget).get('secret') ?? '');
        const err = await setSecret(
          tenant,
          { secret, secretStorage: storageChoice },
          {
            title: `Replace the secret of ${tenant.label}?`,
            body: (
              <p>
                Its requests use the new {tenant.authMethod === 'client_secret' ? 'secret' : 'key'} from now
                on.
              </p>
            ),
            confirmLabel: 'Save secret',
          },
        );
        if (err === 'cancelled') return;
        setError(err);
        if (!err) onDone();
      }}
    >
      <SecretInput
        authMethod={tenant.authMethod}
        label={`New ${tenant.authMethod === 'client_secret' ? 'client secret' : 'private key (PEM)'} for ${tenant.label}`}
      />
      <SecretStorageChoice value={storageChoice} onChange={setStorage} />
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Save secret
        </button>
        {tenant.secretStorage !== null && (
          <button
            type="button"
            disabled={busy}
            onClick={async () => {
              const err = await removeSecret(tenant);
              if (err === 'cancelled') return;
              setError(err);
              if (!err) onDone();
            }}
          >
            Forget the stored secret
          </button>
        )}
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function TenantCard({ tenant }: { tenant: TenantProfile }) {
  const busy = useTenantsStore((s) => s.busy);
  const test = useTenantsStore((s) => s.test);
  const remove = useTenantsStore((s) => s.remove);
  const result = useTenantsStore((s) => s.tests[tenant.id]);
  const requestSwitch = useAppStore((s) => s.requestSwitch);
  const secretMissing = useAppStore(
    (s) => s.keychain?.missingSecrets?.some((m) => m.id === tenant.id) ?? false,
  );
  const [panel, setPanel] = useState<Panel>(null);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const toggle = (p: Panel) => setPanel((current) => (current === p ? null : p));
  return (
    <li
      className="tenant-card"
      style={{ borderLeftColor: tenant.color }}
      aria-label={`Tenant ${tenant.label}`}
    >
      <div className="tenant-head">
        <ColorSwatch color={tenant.color} label={tenant.label} />
        <h3>{tenant.label}</h3>
        <EnvironmentTag environment={tenant.environment} />
        {tenant.localTenant && <LocalTenantState />}
      </div>
      <dl className="tenant-facts">
        <dt>Domain</dt>
        <dd>{tenant.domain}</dd>
        <dt>Client ID</dt>
        <dd>{tenant.clientId}</dd>
        <dt>Secret</dt>
        <dd className={secretMissing ? 'warning-text' : undefined}>
          {secretMissing
            ? 'Missing from the OS keychain: set it again (Replace secret)'
            : tenant.secretStorage === 'keychain'
              ? 'In the OS keychain'
              : tenant.secretStorage === 'session'
                ? 'For this session only'
                : 'None stored'}
        </dd>
      </dl>
      <div className="actions">
        <button type="button" className="primary" onClick={() => requestSwitch(tenant.id, 'users')}>
          Open users
        </button>
        <button type="button" disabled={busy === `test:${tenant.id}`} onClick={() => void test(tenant.id)}>
          {busy === `test:${tenant.id}` ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" onClick={() => toggle('edit')} aria-expanded={panel === 'edit'}>
          Edit
        </button>
        <button type="button" onClick={() => toggle('secret')} aria-expanded={panel === 'secret'}>
          Replace secret
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy === `remove:${tenant.id}`}
          onClick={async () => {
            const err = await remove(tenant);
            if (err !== 'cancelled') setError(err);
          }}
        >
          Remove
        </button>
      </div>
      {panel === 'edit' && <TenantForm tenant={tenant} onDone={() => setPanel(null)} />}
      {panel === 'secret' && <SecretPanel tenant={tenant} onDone={() => setPanel(null)} />}
      <ErrorMessage error={error} />
      <TestResult result={result} />
    </li>
  );
}

/** The local tenant's process: running, starting, stopped or failed (why) — with a way to start it again. */
function LocalTenantState() {
  const status = useAppStore((s) => s.localTenant);
  const startLocalTenant = useTenantsStore((s) => s.startLocalTenant);
  const busy = useTenantsStore((s) => s.busy === 'local-tenant');
  const state = busy ? 'starting' : (status?.state ?? 'stopped');
  const words: Record<string, string> = {
    running: 'Local tenant · running',
    starting: 'Local tenant · starting…',
    stopped: 'Local tenant · stopped',
    failed: 'Local tenant · stopped',
  };
  return (
    <span className="local-tenant-state">
      <span className={`badge badge-${state}`} role="status">
        {words[state]}
      </span>
      {(state === 'stopped' || state === 'failed') && (
        <button type="button" onClick={() => void startLocalTenant()}>
          Start the local tenant
        </button>
      )}
      {state === 'failed' && status?.message && <span className="field-error">{status.message}</span>}
    </span>
  );
}

export function TenantList() {
  const tenants = useTenantsStore((s) => s.tenants);
  const [adding, setAdding] = useState(false);
  return (
    <section aria-labelledby="tenants-title" className="tenants">
      <div className="section-head">
        <h1 id="tenants-title">Tenants</h1>
        {!adding && (
          <button type="button" onClick={() => setAdding(true)}>
            Add a tenant
          </button>
        )}
      </div>
      {adding && <TenantForm onDone={() => setAdding(false)} />}
      <ul className="tenant-list">
        {tenants.map((t) => (
          <TenantCard key={t.id} tenant={t} />
        ))}
      </ul>
    </section>
  );
}
