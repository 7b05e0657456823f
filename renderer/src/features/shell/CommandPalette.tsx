// Ctrl/Cmd+K: one list of everything the keyboard can reach — tenants to switch to, screens, the actions the open
// user's panel allows now, the window's settings — filtered as you type, each with its shortcut. Read from the
// command registry.
import { useEffect, useId, useReducer, useState } from 'react';
import {
  labelOf,
  onCommandStateChange,
  paletteCommands,
  shortcutText,
  type Command,
} from '../../commands/registry';
import { Modal } from '../../ui/Modal';

export function CommandPalette({
  onClose,
  initialFilter = '',
}: {
  onClose: () => void;
  initialFilter?: string;
}) {
  const id = useId();
  const [filter, setFilter] = useState(initialFilter);
  const [index, setIndex] = useState(0);
  // Open, it follows the state the commands read (a user that finishes loading brings its actions).
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  useEffect(() => onCommandStateChange(refresh), []);
  // The registry as it is now: tenants, screens, the open user's actions it allows, the window's settings.
  const commands = paletteCommands().map((c) => ({
    ...c,
    id: c.id.replace(/[^\w-]/g, '-'),
    text: labelOf(c),
  }));
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = commands.filter((c) => {
    const text = `${c.group} ${c.text}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const choose = (c: Command) => {
    onClose();
    // After the palette has closed and focus is back, so a dialog the command opens keeps it.
    setTimeout(() => c.run?.(), 0);
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
            <span className="palette-label">{c.render?.() ?? c.text}</span>
            {c.shortcut && <kbd>{shortcutText(c)}</kbd>}
            {c.chord && <kbd>{c.chord}</kbd>}
          </li>
        ))}
        {matches.length === 0 && <li className="muted">Nothing matches.</li>}
      </ul>
    </Modal>
  );
}
