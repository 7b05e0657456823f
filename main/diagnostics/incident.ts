// The one way a failure becomes what the window is shown: the bridge's error envelope (secrets scrubbed), given an
// incident id and written to the diagnostics log under it. A request's failure (the router) and a failure of
// background work (a task's status) both come through here, so the id the user quotes is always in the log.
import type { ErrorEnvelope } from '../../preload/contract.js';
import { toEnvelope } from '../errors.js';
import { DiagnosticsLog } from './diagnostics-log.js';

/** Where a failure came from, for the diagnostics log (never sent to the window). */
function origin(err: unknown): Record<string, unknown> {
  const e = err as { name?: unknown; message?: unknown; stack?: unknown; cause?: unknown };
  return {
    error: typeof e?.name === 'string' ? e.name : typeof err,
    ...(typeof e?.message === 'string' ? { detail: e.message.slice(0, 2000) } : {}),
    ...(typeof e?.stack === 'string' ? { stack: e.stack.split('\n').slice(0, 12).join('\n') } : {}),
    ...(e?.cause ? { cause: String((e.cause as Error)?.message ?? e.cause).slice(0, 500) } : {}),
  };
}

/**
 * Anything thrown → the envelope the window shows, with an incident id; an internal failure's message asks the user
 * to quote it. Logged as `event` with `context` (a channel, a task), and for an internal failure where it came from.
 */
export function incidentEnvelope(
  err: unknown,
  secrets: Iterable<string>,
  log: Pick<DiagnosticsLog, 'write'> | undefined,
  event: string,
  context: Record<string, unknown> = {},
): ErrorEnvelope {
  const error = toEnvelope(err, secrets);
  error.incidentId = DiagnosticsLog.incidentId();
  const internal = error.code === 'internal';
  if (internal) error.message = `${error.message} Quote incident ${error.incidentId} when you report it.`;
  log?.write(internal ? 'error' : 'warn', event, {
    ...context,
    incidentId: error.incidentId,
    code: error.code,
    message: error.message,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.auth0ErrorCode ? { auth0ErrorCode: error.auth0ErrorCode } : {}),
    ...(internal ? origin(err) : {}),
  });
  return error;
}
