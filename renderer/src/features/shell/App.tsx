import { useEffect } from 'react';
import { listenForKeys } from '../../commands/keys';
import { useRegistry } from '../../commands/registry';
import { useAppStore, type View } from '../../stores/app';
import { isDensity, isTheme, usePref, usePrefsStore } from '../../stores/prefs';
import { DiscardEditsDialog } from '../../ui/DiscardEditsDialog';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { GuardDialog } from '../../ui/GuardDialog';
import { Toasts } from '../../ui/Toasts';
import { InterruptedTasksBanner } from '../tasks/InterruptedTasksBanner';
import { useTasksStore } from '../tasks/store';
import '../tenants/commands';
import { FirstRun } from '../tenants/FirstRun';
import { useTenantsStore } from '../tenants/store';
import { TenantList } from '../tenants/TenantList';
import '../user/commands';
import { useDetailStore } from '../user/store';
import { CommandPalette } from './CommandPalette';
import './commands';
import { HelpOverlay } from './HelpOverlay';
import { KeychainBanner } from './KeychainBanner';
import './screens';
import { Sidebar } from './Sidebar';
import { StalledBanner } from './StalledBanner';
import { useShellStore } from './store';

export function App() {
  const loadApp = useAppStore((s) => s.load);
  const appError = useAppStore((s) => s.error);
  const view = useAppStore((s) => s.view);
  const activeId = useAppStore((s) => s.activeTenantId);
  const setActive = useAppStore((s) => s.setActiveTenant);
  const pendingSwitch = useAppStore((s) => s.pendingSwitch);
  const resolveSwitch = useAppStore((s) => s.resolveSwitch);
  const loadTenants = useTenantsStore((s) => s.load);
  const loaded = useTenantsStore((s) => s.loaded);
  const tenants = useTenantsStore((s) => s.tenants);
  const listError = useTenantsStore((s) => s.error);
  const detailTenantId = useDetailStore((d) => d.tenantId);
  const palette = useShellStore((s) => s.palette);
  const help = useShellStore((s) => s.help);
  const screens = useRegistry((s) => s.screens);
  const theme = usePref('theme', 'system', isTheme);
  const density = usePref('density', 'comfortable', isDensity);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.dataset.density = density;
  }, [theme, density]);

  // The window's keys: every shortcut and chord of the command registry.
  useEffect(() => listenForKeys(), []);

  useEffect(() => {
    void loadApp();
    void loadTenants();
    void usePrefsStore
      .getState()
      .load()
      .then(() => {
        // Open on the screen used last (the tenants screen until there is a tenant).
        const last = usePrefsStore.getState().values.view;
        if (useRegistry.getState().screens.some((s) => s.view === last))
          useAppStore.setState({ view: last as View });
      });
    const disconnect = useShellStore.getState().connect();
    // Work of an earlier run that did not finish is offered for resume.
    void useTasksStore.getState().load();
    return disconnect;
  }, [loadApp, loadTenants]);

  const active = tenants.find((t) => t.id === activeId) ?? tenants[0];
  useEffect(() => {
    // Keep a valid active tenant (and learn what its grant allows) as tenants come and go.
    if (active && active.id !== activeId) setActive(active.id);
    else if (active && !useAppStore.getState().capabilities[active.id])
      void useAppStore.getState().loadCapabilities(active.id);
  }, [active, activeId, setActive]);
  // A user panel whose tenant was removed has nothing left to act on.
  useEffect(() => {
    if (detailTenantId && !tenants.some((t) => t.id === detailTenantId)) useDetailStore.getState().close();
  }, [detailTenantId, tenants]);

  const screen = screens.find((s) => s.view === view);
  const leaving = tenants.find((t) => t.id === detailTenantId);
  const going = tenants.find((t) => t.id === pendingSwitch?.tenantId);
  return (
    <div className="app">
      <Sidebar />
      <div className="workspace">
        <KeychainBanner />
        <StalledBanner />
        <InterruptedTasksBanner />
        <main>
          {!loaded ? (
            <p role="status">Loading…</p>
          ) : listError && tenants.length === 0 ? (
            <section className="load-failed" aria-labelledby="load-failed-title">
              <h1 id="load-failed-title">Tenant Desk could not load your tenants</h1>
              <ErrorMessage error={listError} />
              <button type="button" onClick={() => void Promise.all([loadApp(), loadTenants()])}>
                Try again
              </button>
            </section>
          ) : screen?.needs === 'nothing' ? (
            screen.render(active)
          ) : tenants.length === 0 ? (
            <>
              <ErrorMessage error={appError} />
              <FirstRun />
            </>
          ) : screen && (screen.needs !== 'tenant' || active) ? (
            screen.render(active)
          ) : (
            <TenantList />
          )}
        </main>
      </div>
      {palette && (
        <CommandPalette initialFilter={palette.filter} onClose={useShellStore.getState().closePalette} />
      )}
      {help && <HelpOverlay onClose={useShellStore.getState().closeHelp} />}
      <GuardDialog />
      {pendingSwitch && leaving && (
        <DiscardEditsDialog
          tenant={leaving}
          what="unsaved edits to the open user"
          then={`switch to ${going?.label ?? 'the other tenant'}`}
          onAnswer={resolveSwitch}
        />
      )}
      <Toasts />
    </div>
  );
}
