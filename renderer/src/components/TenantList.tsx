import { useState } from 'react';
import {
  capabilityNames,
  type ConnectionTestResult,
  type ErrorEnvelope,
  type TenantProfile,
} from '../../../preload/contract';
import { useAppStore } from '../stores/app';
import { useTenantsStore } from '../stores/tenants';
import { ColorSwatch, EnvironmentTag } from './EnvironmentTag';
import { ErrorMessage } from './ErrorMessage';
import { TenantForm } from './TenantForm';

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

function TenantCard({ tenant }: { tenant: TenantProfile }) {
  const busy = useTenantsStore((s) => s.busy);
  const test = useTenantsStore((s) => s.test);
  const remove = useTenantsStore((s) => s.remove);
  const setSecret = useTenantsStore((s) => s.setSecret);
  const result = useTenantsStore((s) => s.tests[tenant.id]);
  const setActive = useAppStore((s) => s.setActiveTenant);
  const setView = useAppStore((s) => s.setView);
  const [replacing, setReplacing] = useState(false);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
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
        {tenant.sandbox && <span className="badge">Local tenant</span>}
      </div>
      <dl className="tenant-facts">
        <dt>Domain</dt>
        <dd>{tenant.domain}</dd>
        <dt>Client ID</dt>
        <dd>{tenant.clientId}</dd>
        <dt>Secret</dt>
        <dd>
          {tenant.secretStorage === 'keychain'
            ? 'In the OS keychain'
            : tenant.secretStorage === 'session'
              ? 'For this session only'
              : 'None stored'}
        </dd>
      </dl>
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => {
            setActive(tenant.id);
            setView('users');
          }}
        >
          Open users
        </button>
        <button type="button" disabled={busy === `test:${tenant.id}`} onClick={() => void test(tenant.id)}>
          {busy === `test:${tenant.id}` ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" onClick={() => setReplacing((r) => !r)} aria-expanded={replacing}>
          Replace secret
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy === `remove:${tenant.id}`}
          onClick={async () => {
            if (
              window.confirm(
                `Remove the tenant "${tenant.label}" and its stored secret from Tenant Desk? The tenant itself is not changed.`,
              )
            )
              setError(await remove(tenant.id));
          }}
        >
          Remove
        </button>
      </div>
      {replacing && (
        <form
          className="inline-form"
          onSubmit={async (e) => {
            e.preventDefault();
            const secret = String(new FormData(e.currentTarget).get('secret') ?? '');
            const err = await setSecret({
              id: tenant.id,
              secret,
              secretStorage: tenant.secretStorage ?? 'keychain',
            });
            setError(err);
            if (!err) setReplacing(false);
          }}
        >
          <label>
            New secret for {tenant.label}
            <input name="secret" type="password" required autoComplete="off" />
          </label>
          <button type="submit">Save secret</button>
        </form>
      )}
      <ErrorMessage error={error} />
      <TestResult result={result} />
    </li>
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
