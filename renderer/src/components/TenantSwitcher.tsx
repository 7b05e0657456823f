import { useEffect, useId, useState } from 'react';
import { useAppStore } from '../stores/app';
import { useTenantsStore } from '../stores/tenants';
import { ColorSwatch, EnvironmentTag } from './EnvironmentTag';
import { Modal } from './Modal';

/** Ctrl/Cmd+K: switch tenant by typing part of its label or domain. */
export function TenantSwitcher() {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const [index, setIndex] = useState(0);
  const tenants = useTenantsStore((s) => s.tenants);
  const requestSwitch = useAppStore((s) => s.requestSwitch);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen(true);
        setFilter('');
        setIndex(0);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!open) {
    return (
      <button
        type="button"
        className="switcher-button"
        onClick={() => setOpen(true)}
        aria-keyshortcuts="Control+K Meta+K"
      >
        Switch tenant <kbd>Ctrl K</kbd>
      </button>
    );
  }
  const matches = tenants.filter((t) =>
    `${t.label} ${t.domain}`.toLowerCase().includes(filter.toLowerCase()),
  );
  const choose = (tenantId: string) => {
    setOpen(false);
    // The old tenant's user panel closes; with unsaved edits, the user is asked first.
    requestSwitch(tenantId, 'users');
  };
  return (
    <Modal labelledBy={`${id}-title`} onClose={() => setOpen(false)} className="switcher">
      <h2 id={`${id}-title`}>Switch tenant</h2>
      <input
        data-autofocus
        aria-label="Find a tenant"
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
          if (e.key === 'ArrowDown') setIndex((i) => Math.min(i + 1, matches.length - 1));
          if (e.key === 'ArrowUp') setIndex((i) => Math.max(i - 1, 0));
          if (e.key === 'Enter' && matches[index]) {
            // The keystroke ends here: without this its keypress would act in a dialog the switch may open.
            e.preventDefault();
            choose(matches[index].id);
          }
        }}
      />
      <ul id={`${id}-list`} role="listbox" aria-label="Tenants" className="switcher-list">
        {matches.map((t, i) => (
          <li
            key={t.id}
            id={`${id}-${t.id}`}
            role="option"
            aria-selected={i === index}
            onClick={() => choose(t.id)}
          >
            <ColorSwatch color={t.color} label={t.label} /> {t.label}{' '}
            <span className="muted">{t.domain}</span> <EnvironmentTag environment={t.environment} />
          </li>
        ))}
        {matches.length === 0 && <li className="muted">No tenant matches.</li>}
      </ul>
    </Modal>
  );
}
