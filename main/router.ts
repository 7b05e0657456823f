// The one router of the bridge: validates each request against the contract, calls the service, and answers with a
// result value — never a throw, never a secret. Both hosts (Electron IPC and the browser host) call it.
import {
  channelNames,
  channels,
  type ChannelName,
  type ChannelOutput,
  type ChannelParsedInput,
  type EventName,
  type Events,
  type Result,
} from '../preload/contract.js';
import { DiagnosticsLog } from './diagnostics/diagnostics-log.js';
import { AppError, toEnvelope } from './errors.js';

export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface Router {
  readonly channelNames: readonly ChannelName[];
  /** Validates payload with the contract's zod schema; unknown channel or invalid payload → validation error, nothing runs. */
  invoke(channel: unknown, payload: unknown): Promise<Result<unknown>>;
  /** Events main → renderer; returns an unsubscribe. */
  subscribe(listener: EventListener): () => void;
}

export type Handlers = {
  [C in ChannelName]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> | ChannelOutput<C>;
};

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

export function createRouter(
  handlers: Handlers,
  secrets: () => Iterable<string>,
  log?: DiagnosticsLog,
  /** Runs before a valid request's handler (the local tenant's restart is waited for there). */
  before?: (input: unknown) => Promise<void>,
): Router & { emit: EventListener } {
  const listeners = new Set<EventListener>();
  const isChannel = (c: string): c is ChannelName => Object.prototype.hasOwnProperty.call(channels, c);
  return {
    channelNames,
    async invoke(channel, payload) {
      try {
        if (typeof channel !== 'string') throw new AppError('validation', 'A channel name is a string.');
        if (!isChannel(channel))
          throw new AppError('validation', `Unknown channel "${channel.slice(0, 64)}".`);
        const parsed = channels[channel].input.safeParse(payload ?? {});
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
          throw new AppError(
            'validation',
            issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '),
            { details: { issues } },
          );
        }
        if (before) await before(parsed.data);
        const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
        return { ok: true, data: await handler(parsed.data) };
      } catch (err) {
        const error = toEnvelope(err, secrets());
        error.incidentId = DiagnosticsLog.incidentId();
        const internal = error.code === 'internal';
        if (internal)
          error.message = `${error.message} Quote incident ${error.incidentId} when you report it.`;
        log?.write(internal ? 'error' : 'warn', 'request failed', {
          channel: typeof channel === 'string' ? channel.slice(0, 64) : typeof channel,
          incidentId: error.incidentId,
          code: error.code,
          message: error.message,
          ...(error.status !== undefined ? { status: error.status } : {}),
          ...(error.auth0ErrorCode ? { auth0ErrorCode: error.auth0ErrorCode } : {}),
          ...(internal ? origin(err) : {}),
        });
        return { ok: false, error };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event, payload) {
      for (const l of listeners) {
        try {
          l(event, payload);
        } catch {
          // A broken listener must not stop the others.
        }
      }
    },
  };
}
