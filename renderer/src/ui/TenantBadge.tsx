import type { TenantProfile } from '../../../preload/contract';
import { ColorSwatch, EnvironmentTag } from './EnvironmentTag';

/** Which tenant a panel or dialog acts on: its colour, label, environment tag and domain, always in view. */
export function TenantBadge({ tenant }: { tenant: TenantProfile }) {
  return (
    <span
      className={`tenant-badge env-border-${tenant.environment}`}
      style={{ borderColor: tenant.color }}
      data-testid="tenant-badge"
    >
      <ColorSwatch color={tenant.color} label={tenant.label} />
      <span className="tenant-badge-label">{tenant.label}</span>
      <EnvironmentTag environment={tenant.environment} />
      <span className="tenant-badge-domain">{tenant.domain}</span>
    </span>
  );
}
