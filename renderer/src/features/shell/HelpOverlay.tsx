// "?": every keyboard shortcut of the window, grouped.
import { useId } from 'react';
import { SHORTCUT_GROUPS } from '../../commands/shortcuts';
import { Modal } from '../../ui/Modal';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const id = useId();
  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} className="help-overlay">
      <div className="modal-head">
        <h2 id={`${id}-title`}>Keyboard shortcuts</h2>
        <button type="button" data-autofocus onClick={onClose}>
          Close
        </button>
      </div>
      <div className="shortcut-groups">
        {SHORTCUT_GROUPS.map((g) => (
          <section key={g.title} aria-labelledby={`${id}-${g.title}`}>
            <h3 id={`${id}-${g.title}`}>{g.title}</h3>
            <dl className="shortcuts">
              {g.items.map(([keys, what]) => (
                <div key={keys}>
                  <dt>
                    <kbd>{keys}</kbd>
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
