// The window's frame: a narrow sidebar with the active tenant (its colour and environment always visible), the
// screens, and the palette, shortcuts, theme and density — the rest of the window is the workspace.
import { useAppStore } from '../../stores/app';
import { isDensity, isTheme, usePref, usePrefsStore } from '../../stores/prefs';
import { useTenantsStore } from '../tenants/store';
import { useRegistry } from '../../commands/registry';
import { useShellStore } from './store';
import { ColorSwatch, EnvironmentTag } from '../../ui/EnvironmentTag';

export function Sidebar() {
  const screens = useRegistry((s) => s.screens);
  const { openPalette: onPalette, openHelp: onHelp } = useShellStore.getState();
  const activeId = useAppStore((s) => s.activeTenantId);
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  const tenants = useTenantsStore((s) => s.tenants);
  const tenant = tenants.find((t) => t.id === activeId) ?? tenants[0];
  const theme = usePref('theme', 'system', isTheme);
  const density = usePref('density', 'comfortable', isDensity);
  const prefs = usePrefsStore.getState();
  return (
    <header className="sidebar" style={tenant ? { borderTopColor: tenant.color } : undefined}>
      <span className="brand">Tenant Desk</span>
      {tenant && (
        <div className="active-tenant" aria-label="Active tenant" role="group">
          <span className="active-line">
            <ColorSwatch color={tenant.color} label={tenant.label} />
            <span className="active-label">{tenant.label}</span>
            <EnvironmentTag environment={tenant.environment} />
          </span>
          <span className="active-domain">{tenant.domain}</span>
        </div>
      )}
      {tenants.length > 0 && (
        <>
          <button
            type="button"
            className="switcher-button"
            onClick={() => onPalette('switch tenant ')}
            aria-keyshortcuts="Control+K Meta+K"
          >
            Switch tenant <kbd aria-hidden="true">Ctrl K</kbd>
          </button>
          <nav aria-label="Main" className="main-nav">
            {screens.map(({ view: v, label, digit, letter }) => (
              <button
                key={v}
                type="button"
                aria-current={view === v ? 'page' : undefined}
                aria-keyshortcuts={digit ? `Alt+${digit}` : undefined}
                onClick={() => setView(v)}
              >
                <span>{label}</span>
                {/* A screen past the ninth has no Alt+digit: its chord instead. */}
                <kbd aria-hidden="true">{digit ? `Alt ${digit}` : `G ${letter.toUpperCase()}`}</kbd>
              </button>
            ))}
          </nav>
        </>
      )}
      <div className="sidebar-foot">
        <button type="button" onClick={() => onPalette()} aria-keyshortcuts="Control+K Meta+K">
          Commands <kbd aria-hidden="true">Ctrl K</kbd>
        </button>
        <button type="button" onClick={onHelp} aria-keyshortcuts="?">
          Shortcuts <kbd aria-hidden="true">?</kbd>
        </button>
        <label>
          Theme
          <select value={theme} onChange={(e) => prefs.set('theme', e.target.value)}>
            <option value="system">As the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <label>
          Density
          <select value={density} onChange={(e) => prefs.set('density', e.target.value)}>
            <option value="comfortable">Comfortable</option>
            <option value="compact">Compact</option>
          </select>
        </label>
      </div>
    </header>
  );
}
