import { useAppStore } from '../../stores/app';
import { useImportsStore } from './store';
import { InterruptedBanner } from '../../ui/InterruptedBanner';
import { count } from '../../format';

/** Imports that were running when Tenant Desk last stopped: offered for resume, on whichever tenant they belong to. */
export function InterruptedImportsBanner() {
  const byId = useImportsStore((s) => s.byId);
  const open = useImportsStore((s) => s.open);
  const requestSwitch = useAppStore((s) => s.requestSwitch);
  return (
    <InterruptedBanner
      label="Interrupted imports"
      items={Object.values(byId).filter((i) => i.status === 'interrupted')}
      idOf={(i) => i.importId}
      tenantIdOf={(i) => i.tenantId}
      describe={(i, tenant) => {
        const done = i.chunks.filter((c) => c.state === 'completed').length;
        return (
          <>
            <strong>
              An import into {i.connectionName} on {tenant.label} was interrupted when Tenant Desk stopped:
            </strong>{' '}
            {i.fileName}, {count(done)} of {count(i.chunks.length)} parts done. Resuming follows up the parts
            Auth0 has and sends the rest; none is sent twice.
          </>
        );
      }}
      onResume={(i, tenant) => {
        requestSwitch(tenant.id, 'imports');
        open(tenant.id, i.importId);
      }}
    />
  );
}
