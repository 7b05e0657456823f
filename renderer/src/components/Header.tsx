import { useAppStore } from '../stores/app';
import { useTenantsStore } from '../stores/tenants';
import { ColorSwatch, EnvironmentTag } from './EnvironmentTag';

/** The window frame: the active tenant's colour and environment are always visible. */
export function Header() {
  const activeId = useAppStore((s) => s.activeTenantId);
  const tenant = useTenantsStore((s) => s.tenants.find((t) => t.id === activeId) ?? s.tenants[0]);
  return (
    <header className="app-header" style={tenant ? { borderTopColor: tenant.color } : undefined}>
      <span className="brand">Tenant Desk</span>
      {tenant && (
        <span className="active-tenant" aria-label="Active tenant">
          <ColorSwatch color={tenant.color} label={tenant.label} />
          <span className="active-label">{tenant.label}</span>
          <span className="active-domain">{tenant.domain}</span>
          <EnvironmentTag environment={tenant.environment} />
        </span>
      )}
    </header>
  );
}
