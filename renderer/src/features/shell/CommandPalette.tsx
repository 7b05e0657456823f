// Ctrl/Cmd+K: one list of everything the keyboard can reach — tenants to switch to, screens, the actions the open
// user's panel allows now, the window's settings — filtered as you type, each with its shortcut.
import { useId, useState } from 'react';
import { useAppStore } from '../../stores/app';
import { usePrefsStore } from '../../stores/prefs';
import { useTenantsStore } from '../tenants/store';
import { panelCommands, SCREENS } from '../../commands/shortcuts';
import { ColorSwatch, EnvironmentTag } from '../../ui/EnvironmentTag';
import { Modal } from '../../ui/Modal';

interface Command {
  id: string;
  group: string;
  label: string;
  shortcut?: string;
  render?: React.ReactNode;
  run: () => void;
}

export function CommandPalette({
  onClose,
  onHelp,
  initialFilter = '',
}: {
  onClose: () => void;
  onHelp: () => void;
  initialFilter?: string;
}) {
  const id = useId();
  const [filter, setFilter] = useState(initialFilter);
  const [index, setIndex] = useState(0);
  const tenants = useTenantsStore((s) => s.tenants);
  const activeId = useAppStore((s) => s.activeTenantId);
  const requestSwitch = useAppStore((s) => s.requestSwitch);
  const setView = useAppStore((s) => s.setView);
  // Read once when the palette opens: the panel's buttons as they are now.
  const [actions] = useState(() => panelCommands());
  const prefs = usePrefsStore.getState();

  const commands: Command[] = [
    ...actions.map((a, i) => ({
      id: `action-${i}`,
      group: 'Open user',
      label: a.label,
      shortcut: a.shortcut,
      run: a.run,
    })),
    // Every tenant, the active one too (choosing it opens its users).
    ...tenants.map((t) => ({
      id: `tenant-${t.id}`,
      group: 'Switch tenant',
      label: `${t.label} ${t.domain}${t.id === activeId ? ' (active)' : ''}`,
      render: (
        <>
          <ColorSwatch color={t.color} label={t.label} /> {t.label} <span className="muted">{t.domain}</span>{' '}
          <EnvironmentTag environment={t.environment} />
          {t.id === activeId && <span className="muted"> (active)</span>}
        </>
      ),
      // The old tenant's user panel closes; with unsaved edits, the user is asked first.
      run: () => {
        const view = useAppStore.getState().view;
        requestSwitch(t.id, view === 'tenants' || view === 'snapshots' ? 'users' : view);
      },
    })),
    ...SCREENS.map((s) => ({
      id: `screen-${s.view}`,
      group: 'Go to',
      label: s.label,
      shortcut: `Alt+${s.key}`,
      run: () => setView(s.view),
    })),
    { id: 'help', group: 'Window', label: 'Keyboard shortcuts', shortcut: '?', run: onHelp },
    ...(['light', 'dark', 'system'] as const).map((theme) => ({
      id: `theme-${theme}`,
      group: 'Window',
      label: `Theme: ${theme === 'system' ? 'as the system' : theme}`,
      run: () => prefs.set('theme', theme),
    })),
    ...(['comfortable', 'compact'] as const).map((density) => ({
      id: `density-${density}`,
      group: 'Window',
      label: `Density: ${density}`,
      run: () => prefs.set('density', density),
    })),
  ];
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = commands.filter((c) => {
    const text = `${c.group} ${c.label}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const choose = (c: Command) => {
    onClose();
    // After the palette has closed and focus is back, so a dialog the command opens keeps it.
    setTimeout(c.run, 0);
  };
  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} className="palette">
      <h2 id={`${id}-title`} className="visually-hidden">
        Command palette
      </h2>
      <input
        data-autofocus
        aria-label="Type a command, a tenant or a screen"
        placeholder="Type a command, a tenant or a screen…"
        role="combobox"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-activedescendant={matches[index] ? `${id}-${matches[index].id}` : undefined}
        value={filter}
        onChange={(e) => {
          setFilter(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setIndex((i) => Math.min(i + 1, matches.length - 1));
          }
          if (e.key === 'ArrowUp') {
            e.preventDefault();
            setIndex((i) => Math.max(i - 1, 0));
          }
          if (e.key === 'Enter' && matches[index]) {
            // The keystroke ends here: without this its keypress would act in a dialog the command may open.
            e.preventDefault();
            choose(matches[index]);
          }
        }}
      />
      <ul id={`${id}-list`} role="listbox" aria-label="Commands" className="palette-list">
        {matches.map((c, i) => (
          <li
            key={c.id}
            id={`${id}-${c.id}`}
            role="option"
            aria-selected={i === index}
            onClick={() => choose(c)}
            ref={i === index ? (el) => el?.scrollIntoView({ block: 'nearest' }) : undefined}
          >
            <span className="palette-group">{c.group}</span>
            <span className="palette-label">{c.render ?? c.label}</span>
            {c.shortcut && <kbd>{c.shortcut}</kbd>}
          </li>
        ))}
        {matches.length === 0 && <li className="muted">Nothing matches.</li>}
      </ul>
    </Modal>
  );
}
