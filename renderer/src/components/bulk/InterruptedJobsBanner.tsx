import { useState } from 'react';
import { useAppStore } from '../../stores/app';
import { useJobsStore } from '../../stores/jobs';
import { useTenantsStore } from '../../stores/tenants';

/** Jobs that were running when Tenant Desk last stopped: offered for resume, on whichever tenant they belong to. */
export function InterruptedJobsBanner() {
  const jobs = useJobsStore((s) => s.jobs);
  const open = useJobsStore((s) => s.open);
  const tenants = useTenantsStore((s) => s.tenants);
  const requestSwitch = useAppStore((s) => s.requestSwitch);
  const [dismissed, setDismissed] = useState<Record<string, true>>({});
  const waiting = Object.values(jobs).filter(
    (j) => j.status === 'interrupted' && !dismissed[j.id] && tenants.some((t) => t.id === j.tenantId),
  );
  if (waiting.length === 0) return null;
  return (
    <div className="banner warning" role="region" aria-label="Interrupted bulk jobs">
      {waiting.map((j) => {
        const tenant = tenants.find((t) => t.id === j.tenantId)!;
        const finished = j.counts.total - j.counts.remaining;
        return (
          <p key={j.id}>
            <strong>A bulk edit on {tenant.label} was interrupted when Tenant Desk stopped:</strong>{' '}
            {j.changeLabel}, {finished.toLocaleString('en')} of {j.counts.total.toLocaleString('en')} users
            finished. Nothing was lost; resuming reads back anyone whose outcome wasn&rsquo;t recorded before
            sending.{' '}
            <button
              type="button"
              className="primary"
              onClick={() => {
                requestSwitch(tenant.id, 'bulk');
                open(j.id);
                requestAnimationFrame(() => document.getElementById('job-detail-title')?.focus());
              }}
            >
              Review and resume
            </button>{' '}
            <button type="button" onClick={() => setDismissed((d) => ({ ...d, [j.id]: true }))}>
              Later
            </button>
          </p>
        );
      })}
    </div>
  );
}
