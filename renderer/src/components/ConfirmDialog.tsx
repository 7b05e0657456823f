import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export interface ConfirmRequest {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  /** On a production tenant: the domain the user must type to enable the action. */
  requireDomain?: string | null;
  danger?: boolean;
  run(confirmDomain: string | undefined): Promise<unknown>;
}

/** A modal confirmation; on production tenants the destructive button waits for the domain typed back. */
export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest; onClose: () => void }) {
  const id = useId();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement & HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const needs = request.requireDomain ?? null;
  const ready = !needs || typed.trim().toLowerCase() === needs.toLowerCase();
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && !busy && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>{request.title}</h2>
        <div>{request.body}</div>
        {needs && (
          <label>
            This is a production tenant. Type <code>{needs}</code> to confirm
            <input
              ref={first}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </label>
        )}
        <div className="actions">
          <button
            ref={needs ? undefined : first}
            type="button"
            className={request.danger ? 'danger-solid' : 'primary'}
            disabled={!ready || busy}
            onClick={async () => {
              setBusy(true);
              await request.run(needs ? typed.trim() : undefined);
              setBusy(false);
              onClose();
            }}
          >
            {busy ? 'Working…' : request.confirmLabel}
          </button>
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
