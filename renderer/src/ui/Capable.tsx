import type { ButtonHTMLAttributes } from 'react';
import type { Capability } from '../../../preload/contract';
import { useCapability } from '../stores/app';

/**
 * A button that is disabled, with the missing scope in its tooltip, when the tenant's grant can't do it. The tenant
 * is the one the surrounding panel acts on (by default the active one).
 */
export function CapableButton({
  capability,
  tenantId,
  disabled,
  title,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { capability: Capability; tenantId?: string }) {
  const { allowed, reason } = useCapability(capability, tenantId);
  return (
    <button
      type="button"
      {...rest}
      disabled={disabled || !allowed}
      title={reason ?? title}
      aria-description={reason ?? undefined}
    />
  );
}
