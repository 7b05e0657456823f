// Quick filters behind one button ("Filters · 2 active"), so the results get the height: shown or hidden as the
// user left them on that screen.
import { useId, type ReactNode } from 'react';
import { usePref, usePrefsStore } from '../stores/prefs';

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

export function FiltersDisclosure({
  screen,
  active,
  children,
}: {
  screen: string;
  active: number;
  children: ReactNode;
}) {
  const id = useId();
  const key = `filters-open:${screen}`;
  const open = usePref(key, false, isBool);
  return (
    <div className="filters-disclosure">
      <button
        type="button"
        className="filters-toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => usePrefsStore.getState().set(key, !open)}
      >
        {open ? '▾' : '▸'} Filters{active > 0 ? ` · ${active} active` : ''}
      </button>
      <div id={id} hidden={!open}>
        {children}
      </div>
    </div>
  );
}
