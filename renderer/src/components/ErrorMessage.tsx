import type { ErrorEnvelope } from '../../../preload/contract';

/** An error from main, in words for people (the envelope's message), announced to screen readers. */
export function ErrorMessage({ error }: { error: ErrorEnvelope | null }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error.message}
    </p>
  );
}
