import { useState } from 'react';
import { useAppStore } from '../../stores/app';
import { useTenantsStore } from './store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { TenantForm } from './TenantForm';

/** No tenants yet: offer the local tenant (a demo tenant running inside Tenant Desk) or adding a real one. */
export function FirstRun() {
  const busy = useTenantsStore((s) => s.busy);
  const error = useTenantsStore((s) => s.error);
  const startLocalTenant = useTenantsStore((s) => s.startLocalTenant);
  const requestSwitch = useAppStore((s) => s.requestSwitch);
  const [adding, setAdding] = useState(false);
  return (
    <section className="first-run" aria-labelledby="first-run-title">
      <h1 id="first-run-title">Welcome to Tenant Desk</h1>
      <p>Add your Auth0 tenants once; their secrets stay in your operating system&rsquo;s keychain.</p>
      <div className="choices">
        <div className="choice">
          <h2>Try the local tenant</h2>
          <p>
            A demo tenant that runs inside Tenant Desk on this computer, with about 5,000 sample users.
            Nothing leaves your machine.
          </p>
          <button
            type="button"
            className="primary"
            disabled={busy === 'local-tenant'}
            onClick={async () => {
              const profile = await startLocalTenant();
              if (profile) requestSwitch(profile.id, 'users');
            }}
          >
            {busy === 'local-tenant' ? 'Starting the local tenant…' : 'Use the local tenant'}
          </button>
        </div>
        <div className="choice">
          <h2>Add a tenant</h2>
          <p>
            Connect a tenant with a machine-to-machine application&rsquo;s client ID and secret (or private
            key).
          </p>
          {!adding && (
            <button type="button" onClick={() => setAdding(true)}>
              Add a tenant
            </button>
          )}
        </div>
      </div>
      <ErrorMessage error={error} />
      {adding && <TenantForm onDone={() => setAdding(false)} />}
    </section>
  );
}
