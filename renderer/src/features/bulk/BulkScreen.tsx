import type { TenantProfile } from '../../../../preload/contract';
import { TenantBadge } from '../../ui/TenantBadge';
import { BulkForm } from './BulkForm';
import { JobsPanel, OpenJob } from './JobsPanel';
import { PlanPreview } from './PlanPreview';

/**
 * Bulk edits on one tenant: the open job (progress, outcomes, retry, undo), a new edit (users, change, preview,
 * start), and the tenant's jobs beside them.
 */
export function BulkScreen({ tenant }: { tenant: TenantProfile }) {
  return (
    <section className="bulk-screen" aria-labelledby="bulk-title">
      <div className="section-head">
        <h1 id="bulk-title">Bulk edits</h1>
        <TenantBadge tenant={tenant} />
      </div>
      <div className="bulk-columns">
        <div className="bulk-main">
          <OpenJob tenant={tenant} />
          <BulkForm tenant={tenant} />
          <PlanPreview tenant={tenant} />
        </div>
        <JobsPanel tenant={tenant} />
      </div>
    </section>
  );
}
