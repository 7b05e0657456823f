import type { ReactNode } from 'react';
import type { ErrorEnvelope } from '../../../preload/contract';

/** Failures a user can't fix by changing their input: the incident id helps whoever they report it to. */
const REPORTABLE = new Set(['internal', 'auth0_error', 'network', 'timeout', 'tls', 'rate_limited', 'busy']);

/** The incident id worth showing beside an error (one its user can't fix, not already in its words), or null. */
export function incidentOf(error: ErrorEnvelope): string | null {
  return error.incidentId && REPORTABLE.has(error.code) && !error.message.includes(error.incidentId)
    ? error.incidentId
    : null;
}

/**
 * An error from main, in words for people (the envelope's message), announced to screen readers; `action` is what
 * can be done about it there (a Reload button), shown beside the words.
 */
export function ErrorMessage({ error, action }: { error: ErrorEnvelope | null; action?: ReactNode }) {
  if (!error) return null;
  const words = (
    <>
      {error.message}
      {incidentOf(error) && <span className="incident"> (incident {error.incidentId})</span>}
    </>
  );
  if (!action)
    return (
      <p className="error" role="alert">
        {words}
      </p>
    );
  return (
    <p className="error with-action" role="alert">
      <span>{words}</span> {action}
    </p>
  );
}
