import { useId, useState } from 'react';
import { guardSatisfied } from '../../../preload/contract';
import { useGuardStore } from '../stores/guard';
import { count } from '../format';
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
  const [typedCount, setTypedCount] = useState('');
  const { tenant, level } = request;
  // "1,500" and "1 500" are read as 1500.
  const countDigits = typedCount.replace(/[\s,]/g, '');
  const wantsDomain = level === 'typed-domain' || level === 'typed-domain-and-count';
  const answer = {
    confirmed: true as const,
    ...(wantsDomain ? { typedDomain: typed.trim() } : {}),
    ...(level === 'typed-domain-and-count' && /^\d+$/.test(countDigits)
      ? { typedCount: Number(countDigits) }
      : {}),
  };
  const countWrong = countDigits !== '' && countDigits !== String(request.count ?? '');
  const ready = guardSatisfied(level, tenant.domain, answer, request.count);
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
        {wantsDomain && (
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
        {level === 'typed-domain-and-count' && (
          <label>
            <span>
              Type the number of users it changes (
              <strong>{request.count !== undefined && count(request.count)}</strong>)
            </span>
            <input
              value={typedCount}
              onChange={(e) => setTypedCount(e.target.value)}
              inputMode="numeric"
              autoComplete="off"
              aria-invalid={countWrong}
              aria-describedby={countWrong ? `${id}-count-wrong` : undefined}
            />
            {countWrong && (
              <span id={`${id}-count-wrong`} className="field-error">
                That is not the number of users this changes.
              </span>
            )}
          </label>
        )}
        <div className="actions">
          <button type="submit" className={request.danger ? 'danger-solid' : 'primary'} disabled={!ready}>
            {request.confirmLabel}
          </button>
          <button type="button" onClick={cancel} {...(wantsDomain ? {} : { 'data-autofocus': true })}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
