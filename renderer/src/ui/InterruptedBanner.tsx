import { useState, type ReactNode } from 'react';
import type { TenantProfile } from '../../../preload/contract';
import { useTenantsStore } from '../features/tenants/store';

/**
 * Work that was running when Tenant Desk last stopped (bulk jobs, imports), offered for resume on whichever tenant it
 * belongs to: a paragraph each, with "Review and resume" and "Later" (which hides it until the next start). Work of
 * a tenant no longer set up is not offered.
 */
export function InterruptedBanner<T>({
  label,
  items,
  idOf,
  tenantIdOf,
  describe,
  onResume,
}: {
  label: string;
  /** The interrupted ones. */
  items: T[];
  idOf: (item: T) => string;
  tenantIdOf: (item: T) => string;
  describe: (item: T, tenant: TenantProfile) => ReactNode;
  onResume: (item: T, tenant: TenantProfile) => void;
}) {
  const tenants = useTenantsStore((s) => s.tenants);
  const [dismissed, setDismissed] = useState<Record<string, true>>({});
  const waiting = items.flatMap((item) => {
    const tenant = tenants.find((t) => t.id === tenantIdOf(item));
    return tenant && !dismissed[idOf(item)] ? [{ item, tenant }] : [];
  });
  if (waiting.length === 0) return null;
  return (
    <div className="banner warning" role="region" aria-label={label}>
      {waiting.map(({ item, tenant }) => (
        <p key={idOf(item)}>
          {describe(item, tenant)}{' '}
          <button type="button" className="primary" onClick={() => onResume(item, tenant)}>
            Review and resume
          </button>{' '}
          <button type="button" onClick={() => setDismissed((d) => ({ ...d, [idOf(item)]: true }))}>
            Later
          </button>
        </p>
      ))}
    </div>
  );
}
