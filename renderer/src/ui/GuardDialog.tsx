import { useId, useState } from 'react';
import { guardSatisfied, hasReason, type Reason } from '../../../preload/contract';
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
  const [ticket, setTicket] = useState('');
  const [note, setNote] = useState('');
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
  const reason: Reason = {
    ...(ticket.trim() ? { ticket: ticket.trim() } : {}),
    ...(note.trim() ? { note: note.trim() } : {}),
  };
  const reasonRequired = !!request.reasonAsked && tenant.requireReason;
  const ready =
    guardSatisfied(level, tenant.domain, answer, request.count) && (!reasonRequired || hasReason(reason));
  const cancel = () => request.resolve(null);
  return (
    <Modal labelledBy={`${id}-title`} onClose={cancel} className="guard-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) request.resolve({ guard: answer, ...(hasReason(reason) ? { reason } : {}) });
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
        {request.reasonAsked && (
          <fieldset className="reason">
            <legend>
              Why{' '}
              <span className="muted">
                {reasonRequired
                  ? `(${tenant.label} asks for a ticket or a note on every write)`
                  : '(optional; kept in the audit log)'}
              </span>
            </legend>
            <label>
              <span>Ticket</span>
              <input
                value={ticket}
                onChange={(e) => setTicket(e.target.value)}
                maxLength={64}
                placeholder="INC-4711"
                autoComplete="off"
                aria-required={reasonRequired}
                {...(reasonRequired && !wantsDomain ? { 'data-autofocus': true } : {})}
              />
            </label>
            <label>
              <span>Note</span>
              <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} rows={2} />
            </label>
          </fieldset>
        )}
        <div className="actions">
          <button type="submit" className={request.danger ? 'danger-solid' : 'primary'} disabled={!ready}>
            {request.confirmLabel}
          </button>
          <button
            type="button"
            onClick={cancel}
            {...(wantsDomain || (reasonRequired && request.reasonAsked) ? {} : { 'data-autofocus': true })}
          >
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
