import { useId, useState } from 'react';
import { guardSatisfied } from '../../../preload/contract';
import { useGuardStore } from '../guard';
import { Modal } from './Modal';
import { TenantBadge } from './TenantBadge';

/** The one confirmation dialog of every write: the tenant it acts on, what it does, and what the guard asks. */
export function GuardDialog() {
  const request = useGuardStore((s) => s.request);
  if (!request) return null;
  // Keyed so that each request starts with an empty domain field.
  return <GuardDialogBody key={`${request.tenant.id}:${request.title}`} />;
}

function GuardDialogBody() {
  const request = useGuardStore((s) => s.request)!;
  const id = useId();
  const [typed, setTyped] = useState('');
  const { tenant, level } = request;
  const answer = {
    confirmed: true as const,
    ...(level === 'typed-domain' ? { typedDomain: typed.trim() } : {}),
  };
  const ready = guardSatisfied(level, tenant.domain, answer);
  const cancel = () => request.resolve(null);
  return (
    <Modal labelledBy={`${id}-title`} onClose={cancel} className="guard-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) request.resolve(answer);
        }}
      >
        <TenantBadge tenant={tenant} />
        <h2 id={`${id}-title`}>{request.title}</h2>
        <div>{request.body}</div>
        {level !== 'none' && (
          <p className="guard-note" role="note">
            <strong>{tenant.label}</strong> is a production tenant.
            {level === 'confirm' ? ' Confirm that this change is meant for it.' : ''}
          </p>
        )}
        {level === 'typed-domain' && (
          <label>
            <span>
              Type <code>{tenant.domain}</code> to confirm
            </span>
            <input
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              data-autofocus
            />
          </label>
        )}
        <div className="actions">
          <button type="submit" className={request.danger ? 'danger-solid' : 'primary'} disabled={!ready}>
            {request.confirmLabel}
          </button>
          <button
            type="button"
            onClick={cancel}
            {...(level === 'typed-domain' ? {} : { 'data-autofocus': true })}
          >
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
