import { useAppStore } from '../../stores/app';
import { useTenantsStore } from '../tenants/store';

/** Tenants whose requests stopped moving (the scheduler's watchdog), until the user dismisses the notice. */
export function StalledBanner() {
  const stalled = useAppStore((s) => s.stalled);
  const setStalled = useAppStore((s) => s.setStalled);
  const tenants = useTenantsStore((s) => s.tenants);
  const entries = Object.values(stalled);
  if (entries.length === 0) return null;
  return (
    <div className="banner warning" role="alert">
      {entries.map((e) => {
        const t = tenants.find((x) => x.id === e.tenantId);
        return (
          <p key={e.tenantId}>
            <strong>Requests to {t?.label ?? e.tenantId} are not moving.</strong> {e.queued} waiting and{' '}
            {e.inFlight} sent without an answer for {e.seconds} s. Check the network or the tenant&rsquo;s
            status; details are in the diagnostics log.{' '}
            <button type="button" onClick={() => setStalled({ tenantId: e.tenantId, cleared: true })}>
              Dismiss
            </button>
          </p>
        );
      })}
    </div>
  );
}
