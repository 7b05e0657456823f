// Every tenant in the palette, the active one too (choosing it opens its users): switching closes the old tenant's
// user panel, and asks first when that would discard unsaved edits.
import { registerCommands, type Command } from '../../commands/registry';
import { useAppStore } from '../../stores/app';
import { ColorSwatch, EnvironmentTag } from '../../ui/EnvironmentTag';
import { useTenantsStore } from './store';

registerCommands(() => {
  const activeId = useAppStore.getState().activeTenantId;
  return useTenantsStore.getState().tenants.map((t): Command => ({
    id: `tenant:${t.id}`,
    group: 'Switch tenant',
    label: `${t.label} ${t.domain}${t.id === activeId ? ' (active)' : ''}`,
    order: 50,
    render: () => (
      <>
        <ColorSwatch color={t.color} label={t.label} /> {t.label} <span className="muted">{t.domain}</span>{' '}
        <EnvironmentTag environment={t.environment} />
        {t.id === activeId && <span className="muted"> (active)</span>}
      </>
    ),
    run: () => {
      const view = useAppStore.getState().view;
      useAppStore.getState().requestSwitch(t.id, view === 'tenants' || view === 'snapshots' ? 'users' : view);
    },
  }));
});
