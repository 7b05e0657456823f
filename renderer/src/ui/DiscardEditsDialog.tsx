import { useId } from 'react';
import type { TenantProfile } from '../../../preload/contract';
import { Modal } from './Modal';
import { TenantBadge } from './TenantBadge';

/** Leaving a user with unsaved edits (closing, or switching tenant): keep editing is the safe, focused choice. */
export function DiscardEditsDialog({
  tenant,
  what,
  then,
  onAnswer,
}: {
  tenant: TenantProfile;
  what: string;
  /** What happens after discarding, e.g. "switch to Acme production". */
  then?: string;
  onAnswer: (discard: boolean) => void;
}) {
  const id = useId();
  return (
    <Modal labelledBy={`${id}-title`} onClose={() => onAnswer(false)}>
      <TenantBadge tenant={tenant} />
      <h2 id={`${id}-title`}>Discard unsaved edits?</h2>
      <p>
        You have {what} on {tenant.label}. They are not saved on the tenant.
        {then ? ` Discard them and ${then}?` : ' Discard them?'}
      </p>
      <div className="actions">
        <button type="button" className="danger-solid" onClick={() => onAnswer(true)}>
          Discard edits
        </button>
        <button type="button" onClick={() => onAnswer(false)} data-autofocus>
          Keep editing
        </button>
      </div>
    </Modal>
  );
}
