import { useEffect } from 'react';
import { bridge } from '../bridge';
import { useAppStore } from '../stores/app';
import { useTenantsStore } from '../stores/tenants';
import { AuditScreen } from './AuditScreen';
import { ErrorMessage } from './ErrorMessage';
import { FirstRun } from './FirstRun';
import { Header } from './Header';
import { KeychainBanner } from './KeychainBanner';
import { TenantList } from './TenantList';
import { Toasts } from './Toasts';
import { UsersScreen } from './UsersScreen';

export function App() {
  const loadApp = useAppStore((s) => s.load);
  const appError = useAppStore((s) => s.error);
  const view = useAppStore((s) => s.view);
  const activeId = useAppStore((s) => s.activeTenantId);
  const setActive = useAppStore((s) => s.setActiveTenant);
  const loadTenants = useTenantsStore((s) => s.load);
  const replaceAll = useTenantsStore((s) => s.replaceAll);
  const loaded = useTenantsStore((s) => s.loaded);
  const tenants = useTenantsStore((s) => s.tenants);
  const listError = useTenantsStore((s) => s.error);

  useEffect(() => {
    void loadApp();
    void loadTenants();
    return bridge.on('tenants:changed', ({ tenants: next }) => replaceAll(next));
  }, [loadApp, loadTenants, replaceAll]);

  const active = tenants.find((t) => t.id === activeId) ?? tenants[0];
  useEffect(() => {
    // Keep a valid active tenant (and learn what its grant allows) as tenants come and go.
    if (active && active.id !== activeId) setActive(active.id);
    else if (active && !useAppStore.getState().capabilities[active.id])
      void useAppStore.getState().loadCapabilities(active.id);
  }, [active, activeId, setActive]);

  return (
    <div className="app">
      <Header />
      <KeychainBanner />
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
        ) : tenants.length === 0 ? (
          <>
            <ErrorMessage error={appError} />
            <FirstRun />
          </>
        ) : view === 'users' && active ? (
          <UsersScreen key={active.id} tenant={active} />
        ) : view === 'audit' ? (
          <AuditScreen />
        ) : (
          <TenantList />
        )}
      </main>
      <Toasts />
    </div>
  );
}
