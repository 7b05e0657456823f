import { useAppStore, type View } from '../stores/app';
import { useTenantsStore } from '../stores/tenants';
import { ColorSwatch, EnvironmentTag } from './EnvironmentTag';
import { TenantSwitcher } from './TenantSwitcher';

const VIEWS: [View, string][] = [
  ['users', 'Users'],
  ['bulk', 'Bulk edits'],
  ['snapshots', 'Snapshots'],
  ['tenants', 'Tenants'],
  ['audit', 'Audit log'],
];

/** The window frame: the active tenant's colour and environment are always visible. */
export function Header() {
  const activeId = useAppStore((s) => s.activeTenantId);
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  const tenants = useTenantsStore((s) => s.tenants);
  const tenant = tenants.find((t) => t.id === activeId) ?? tenants[0];
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
      {tenants.length > 0 && (
        <>
          <nav aria-label="Main" className="main-nav">
            {VIEWS.map(([v, label]) => (
              <button
                key={v}
                type="button"
                aria-current={view === v ? 'page' : undefined}
                onClick={() => setView(v)}
              >
                {label}
              </button>
            ))}
          </nav>
          <TenantSwitcher />
        </>
      )}
    </header>
  );
}
