import type { ErrorEnvelope } from '../../../preload/contract';

/** Failures a user can't fix by changing their input: the incident id helps whoever they report it to. */
const REPORTABLE = new Set(['internal', 'auth0_error', 'network', 'timeout', 'tls', 'rate_limited', 'busy']);

/** The incident id worth showing beside an error (one its user can't fix, not already in its words), or null. */
export function incidentOf(error: ErrorEnvelope): string | null {
  return error.incidentId && REPORTABLE.has(error.code) && !error.message.includes(error.incidentId)
    ? error.incidentId
    : null;
}

/** An error from main, in words for people (the envelope's message), announced to screen readers. */
export function ErrorMessage({ error }: { error: ErrorEnvelope | null }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error.message}
      {incidentOf(error) && <span className="incident"> (incident {error.incidentId})</span>}
    </p>
  );
}
