// "?": every keyboard shortcut of the window, grouped: read from the command registry (its screens with their
// Alt+digit and chord, the tenants on Ctrl+digit, the open user's actions, the keys a table or list handles itself).
import { useId } from 'react';
import { helpSections, useRegistry } from '../../commands/registry';
import { Modal } from '../../ui/Modal';

/** The overlay's sections in order (others after). */
const SECTIONS = ['Anywhere', 'Switch tenant', 'In a table', 'In a list of roles', 'On the open user'];

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const id = useId();
  // Read again when a feature adds or removes entries.
  useRegistry((s) => s.sources);
  const sections = helpSections(SECTIONS);
  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} className="help-overlay">
      <div className="modal-head">
        <h2 id={`${id}-title`}>Keyboard shortcuts</h2>
        <button type="button" data-autofocus onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted">
        G, then a letter: go to a screen (the letter is beside each one), anywhere but in a field.
      </p>
      <div className="shortcut-groups">
        {sections.map((g, n) => (
          <section key={g.title} aria-labelledby={`${id}-${n}`}>
            <h3 id={`${id}-${n}`}>{g.title}</h3>
            <dl className="shortcuts">
              {g.items.map(({ id: key, keys, what }) => (
                <div key={key}>
                  <dt>
                    {keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 && ' or '}
                        <kbd>{k}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Modal>
  );
}
