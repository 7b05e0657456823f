import { useState } from 'react';
import { useAppStore } from '../../stores/app';
import { useImportsStore } from '../../stores/imports';
import { useTenantsStore } from '../../stores/tenants';

/** Imports that were running when Tenant Desk last stopped: offered for resume, on whichever tenant they belong to. */
export function InterruptedImportsBanner() {
  const byId = useImportsStore((s) => s.byId);
  const open = useImportsStore((s) => s.open);
  const tenants = useTenantsStore((s) => s.tenants);
  const requestSwitch = useAppStore((s) => s.requestSwitch);
  const [dismissed, setDismissed] = useState<Record<string, true>>({});
  const waiting = Object.values(byId).filter(
    (i) => i.status === 'interrupted' && !dismissed[i.importId] && tenants.some((t) => t.id === i.tenantId),
  );
  if (waiting.length === 0) return null;
  return (
    <div className="banner warning" role="region" aria-label="Interrupted imports">
      {waiting.map((i) => {
        const tenant = tenants.find((t) => t.id === i.tenantId)!;
        const done = i.chunks.filter((c) => c.state === 'completed').length;
        return (
          <p key={i.importId}>
            <strong>
              An import into {i.connectionName} on {tenant.label} was interrupted when Tenant Desk stopped:
            </strong>{' '}
            {i.fileName}, {done.toLocaleString('en')} of {i.chunks.length.toLocaleString('en')} parts done.
            Resuming follows up the parts Auth0 has and sends the rest; none is sent twice.{' '}
            <button
              type="button"
              className="primary"
              onClick={() => {
                requestSwitch(tenant.id, 'imports');
                open(tenant.id, i.importId);
              }}
            >
              Review and resume
            </button>{' '}
            <button type="button" onClick={() => setDismissed((d) => ({ ...d, [i.importId]: true }))}>
              Later
            </button>
          </p>
        );
      })}
    </div>
  );
}
