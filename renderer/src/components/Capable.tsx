import type { ButtonHTMLAttributes } from 'react';
import type { Capability } from '../../../preload/contract';
import { useCapability } from '../stores/app';

/** A button that is disabled, with the missing scope in its tooltip, when the tenant's grant can't do it. */
export function CapableButton({
  capability,
  disabled,
  title,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { capability: Capability }) {
  const { allowed, reason } = useCapability(capability);
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
