// Every tenant in the palette, the active one too (choosing it opens its users): switching closes the old tenant's
// user panel, and asks first when that would discard unsaved edits. The first nine tenants, in the order the tenants
// screen lists them, are on Ctrl+1…9 (⌘1…9 too), and Ctrl+` goes back to the tenant active before.
import { registerCommands, watchCommandState, type Command } from '../../commands/registry';
import { useAppStore } from '../../stores/app';
import { ColorSwatch, EnvironmentTag } from '../../ui/EnvironmentTag';
import { useTenantsStore } from './store';

/** Where the shortcuts overlay lists the tenants' keys (its second section). */
const TENANT_SECTION = 'Switch tenant';

/** The tenant active before the one active now (Ctrl+` goes back to it); none until a first switch. */
let previousTenantId: string | null = null;
useAppStore.subscribe((s, before) => {
  if (s.activeTenantId !== before.activeTenantId && before.activeTenantId)
    previousTenantId = before.activeTenantId;
});

/** Switches to a tenant, on the screen shown now (its users from the tenants or snapshots screen). */
function switchTo(tenantId: string): void {
  const view = useAppStore.getState().view;
  useAppStore.getState().requestSwitch(tenantId, view === 'tenants' || view === 'snapshots' ? 'users' : view);
}

/** The tenant Ctrl+` goes back to: the one active before, if it is still there and not the active one. */
function previousTenant() {
  const activeId = useAppStore.getState().activeTenantId;
  if (!previousTenantId || previousTenantId === activeId) return undefined;
  return useTenantsStore.getState().tenants.find((t) => t.id === previousTenantId);
}

registerCommands(() => {
  const activeId = useAppStore.getState().activeTenantId;
  const tenants = useTenantsStore.getState().tenants;
  const back: Command = {
    id: 'tenant:previous',
    group: 'Switch tenant',
    section: TENANT_SECTION,
    // The tenant's name is shown, not matched: typing a tenant's name in the palette finds that tenant's own entry.
    label: 'Back to the previous tenant',
    render: () => {
      const t = previousTenant();
      return (
        <>
          Back to the previous tenant
          {t && (
            <>
              : <ColorSwatch color={t.color} label={t.label} /> {t.label}{' '}
              <span className="muted">{t.domain}</span>
            </>
          )}
        </>
      );
    },
    help: 'Back to the tenant active before',
    // The key left of 1 (by its place, on any layout). Not Ctrl+0: Electron's menu and browsers reset the zoom on it.
    shortcut: 'Ctrl+`',
    order: 49,
    when: () => !!previousTenant(),
    run: () => {
      const t = previousTenant();
      if (t) switchTo(t.id);
    },
  };
  return [
    back,
    ...tenants.map((t, i): Command => ({
      id: `tenant:${t.id}`,
      group: 'Switch tenant',
      section: TENANT_SECTION,
      label: `${t.label} ${t.domain}${t.id === activeId ? ' (active)' : ''}`,
      help: `Switch to ${t.label} (${t.domain})`,
      ...(i < 9 ? { shortcut: [`Ctrl+${i + 1}`, `Meta+${i + 1}`] } : {}),
      order: 50,
      render: () => (
        <>
          <ColorSwatch color={t.color} label={t.label} /> {t.label} <span className="muted">{t.domain}</span>{' '}
          <EnvironmentTag environment={t.environment} />
          {t.id === activeId && <span className="muted"> (active)</span>}
        </>
      ),
      run: () => switchTo(t.id),
    })),
  ];
});
watchCommandState(useAppStore.subscribe, useTenantsStore.subscribe);
