import { useAppStore } from '../../stores/app';
import { useJobsStore } from './jobs-store';
import { InterruptedBanner } from '../../ui/InterruptedBanner';
import { count } from '../../format';

/** Jobs that were running when Tenant Desk last stopped: offered for resume, on whichever tenant they belong to. */
export function InterruptedJobsBanner() {
  const jobs = useJobsStore((s) => s.jobs);
  const open = useJobsStore((s) => s.open);
  const requestSwitch = useAppStore((s) => s.requestSwitch);
  return (
    <InterruptedBanner
      label="Interrupted bulk jobs"
      items={Object.values(jobs).filter((j) => j.status === 'interrupted')}
      idOf={(j) => j.id}
      tenantIdOf={(j) => j.tenantId}
      describe={(j, tenant) => {
        const finished = j.counts.total - j.counts.remaining;
        return (
          <>
            <strong>A bulk edit on {tenant.label} was interrupted when Tenant Desk stopped:</strong>{' '}
            {j.changeLabel}, {count(finished)} of {count(j.counts.total)} users finished. Nothing was lost;
            resuming reads back anyone whose outcome wasn&rsquo;t recorded before sending.
          </>
        );
      }}
      onResume={(j, tenant) => {
        requestSwitch(tenant.id, 'bulk');
        open(j.id);
        requestAnimationFrame(() => document.getElementById('job-detail-title')?.focus());
      }}
    />
  );
}
