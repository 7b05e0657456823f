import { useEffect, useState } from 'react';
import { bridge } from '../../bridge';
import { saveDownload } from '../../stores/downloads';
import { useAppStore, type View } from '../../stores/app';
import { useBulkStore } from '../bulk/store';
import { useExportsStore } from '../exports/store';
import { useDetailStore } from '../user/store';
import { useImportsStore } from '../imports/store';
import { useJobsStore } from '../bulk/jobs-store';
import { useTenantsStore } from '../tenants/store';
import { AuditScreen } from '../audit/AuditScreen';
import { BulkScreen } from '../bulk/BulkScreen';
import { InterruptedJobsBanner } from '../bulk/InterruptedJobsBanner';
import { InterruptedImportsBanner } from '../imports/InterruptedImportsBanner';
import { SnapshotsScreen } from '../snapshots/SnapshotsScreen';
import { DiscardEditsDialog } from '../../ui/DiscardEditsDialog';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { FirstRun } from '../tenants/FirstRun';
import { GuardDialog } from '../../ui/GuardDialog';
import { KeychainBanner } from './KeychainBanner';
import { StalledBanner } from './StalledBanner';
import { TenantList } from '../tenants/TenantList';
import { Toasts } from '../../ui/Toasts';
import { UsersScreen } from '../users/UsersScreen';
import { LogsScreen } from '../logs/LogsScreen';
import { AcrossScreen } from '../across/AcrossScreen';
import { ImportsScreen } from '../imports/ImportsScreen';
import { RolesScreen } from '../roles/RolesScreen';
import { CommandPalette } from './CommandPalette';
import { HelpOverlay } from './HelpOverlay';
import { Sidebar } from './Sidebar';
import { isDensity, isTheme, usePref, usePrefsStore } from '../../stores/prefs';
import { SCREENS, shortcutOf } from '../../commands/shortcuts';
import { count } from '../../format';

export function App() {
  const loadApp = useAppStore((s) => s.load);
  const appError = useAppStore((s) => s.error);
  const view = useAppStore((s) => s.view);
  const activeId = useAppStore((s) => s.activeTenantId);
  const setActive = useAppStore((s) => s.setActiveTenant);
  const pendingSwitch = useAppStore((s) => s.pendingSwitch);
  const resolveSwitch = useAppStore((s) => s.resolveSwitch);
  const loadTenants = useTenantsStore((s) => s.load);
  const replaceAll = useTenantsStore((s) => s.replaceAll);
  const loaded = useTenantsStore((s) => s.loaded);
  const tenants = useTenantsStore((s) => s.tenants);
  const listError = useTenantsStore((s) => s.error);
  const detailTenantId = useDetailStore((d) => d.tenantId);
  const [palette, setPalette] = useState<{ filter: string } | null>(null);
  const [help, setHelp] = useState(false);
  const theme = usePref('theme', 'system', isTheme);
  const density = usePref('density', 'comfortable', isDensity);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.dataset.density = density;
  }, [theme, density]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setPalette({ filter: '' });
        return;
      }
      const target = e.target as HTMLElement;
      // Inside a dialog, its own keys; in a field, typing.
      if (target.closest?.('dialog')) return;
      const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable;
      if (e.key === '?' && !typing) {
        e.preventDefault();
        setHelp(true);
        return;
      }
      const combo = shortcutOf(e);
      const screen = SCREENS.find((s) => combo === `Alt+${s.key}`);
      if (screen && useTenantsStore.getState().tenants.length > 0) {
        e.preventDefault();
        useAppStore.getState().setView(screen.view);
        return;
      }
      if (combo.startsWith('Alt+Shift+')) {
        const button = document.querySelector<HTMLButtonElement>(`.panel [data-shortcut="${combo}"]`);
        if (button && !button.disabled) {
          e.preventDefault();
          button.click();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    void loadApp();
    void loadTenants();
    void usePrefsStore
      .getState()
      .load()
      .then(() => {
        // Open on the screen used last (the tenants screen until there is a tenant).
        const last = usePrefsStore.getState().values.view;
        if (SCREENS.some((s) => s.view === last)) useAppStore.setState({ view: last as View });
      });
    const app = useAppStore.getState();
    const offs = [
      bridge.on('tenants:changed', ({ tenants: next }) => {
        replaceAll(next);
        if (useAppStore.getState().keychain?.missingSecrets?.length) void app.refreshKeychain();
      }),
      bridge.on('local-tenant:changed', (status) => app.setLocalTenant(status)),
      bridge.on('tenants:stalled', (event) => app.setStalled(event)),
      bridge.on('bulk:planning', (event) => useBulkStore.getState().onPlanning(event)),
      bridge.on('job:progress', (summary) => useJobsStore.getState().onProgress(summary)),
      bridge.on('import:progress', (summary) => {
        const imports = useImportsStore.getState();
        const before = imports.byId[summary.importId];
        imports.onProgress(summary);
        // How an import ended is said wherever the window is (its screen shows the detail).
        if (before?.status === 'running' && summary.status !== 'running') {
          const tenant = useTenantsStore.getState().tenants.find((t) => t.id === summary.tenantId);
          app.toast(
            summary.status === 'completed' && summary.counts.failed === 0 ? 'success' : 'error',
            `Import of ${summary.fileName} into ${tenant?.label ?? summary.tenantDomain} ${summary.status}: ${count(summary.counts.inserted)} inserted, ${count(summary.counts.updated)} updated, ${count(summary.counts.failed)} failed`,
          );
        }
      }),
      bridge.on('export:progress', (status) => {
        const exports = useExportsStore.getState();
        exports.onProgress(status);
        // An export left to run in the background offers its file itself when done, and says how it ended.
        if (exports.watched[status.exportId]) return;
        if (status.phase === 'failed')
          app.toast('error', `${status.label}: ${status.error?.message ?? 'failed'}`);
        if (status.phase === 'completed') {
          app.toast('success', `${status.label}: ready`);
          if (status.file)
            void saveDownload(status.file).then((saved) =>
              saved.ok
                ? saved.message && app.toast('info', saved.message)
                : app.toast('error', saved.error.message),
            );
        }
      }),
    ];
    // Jobs of an earlier run that did not finish are offered for resume.
    void useJobsStore.getState().load();
    void useImportsStore.getState().loadAll();
    return () => offs.forEach((off) => off());
  }, [loadApp, loadTenants, replaceAll]);

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

  const leaving = tenants.find((t) => t.id === detailTenantId);
  const going = tenants.find((t) => t.id === pendingSwitch?.tenantId);
  return (
    <div className="app">
      <Sidebar onPalette={(filter = '') => setPalette({ filter })} onHelp={() => setHelp(true)} />
      <div className="workspace">
        <KeychainBanner />
        <StalledBanner />
        <InterruptedJobsBanner />
        <InterruptedImportsBanner />
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
          ) : view === 'snapshots' ? (
            // Snapshots need no tenant: an auditor can open a file on a machine with none.
            <SnapshotsScreen />
          ) : tenants.length === 0 ? (
            <>
              <ErrorMessage error={appError} />
              <FirstRun />
            </>
          ) : view === 'users' && active ? (
            <UsersScreen key={active.id} tenant={active} />
          ) : view === 'logs' && active ? (
            <LogsScreen key={active.id} tenant={active} />
          ) : view === 'bulk' && active ? (
            <BulkScreen key={active.id} tenant={active} />
          ) : view === 'roles' && active ? (
            <RolesScreen key={active.id} tenant={active} />
          ) : view === 'imports' && active ? (
            <ImportsScreen key={active.id} tenant={active} />
          ) : view === 'across' ? (
            <AcrossScreen />
          ) : view === 'audit' ? (
            <AuditScreen />
          ) : (
            <TenantList />
          )}
        </main>
      </div>
      {palette && (
        <CommandPalette
          initialFilter={palette.filter}
          onClose={() => setPalette(null)}
          onHelp={() => setHelp(true)}
        />
      )}
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
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
