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
  type Reason,
  type Result,
  reasonSchema,
  takesReason,
} from '../preload/contract.js';
import { withReason } from './audit/reason-context.js';
import type { DiagnosticsLog } from './diagnostics/diagnostics-log.js';
import { incidentEnvelope } from './diagnostics/incident.js';
import { AppError } from './errors.js';

export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface Router {
  readonly channelNames: readonly ChannelName[];
  /** Validates payload with the contract's zod schema; unknown channel or invalid payload → validation error, nothing runs. */
  invoke(channel: unknown, payload: unknown): Promise<Result<unknown>>;
  /** Events main → renderer; returns an unsubscribe. */
  subscribe(listener: EventListener): () => void;
}

/** The handlers of one contract slice (`typeof usersChannels`): one per channel, typed by its input and output. */
export type SliceHandlers<Slice> = {
  [C in keyof Slice & ChannelName]: (
    input: ChannelParsedInput<C>,
  ) => Promise<ChannelOutput<C>> | ChannelOutput<C>;
};

/** Every channel's handler: the features' handler sets, composed by app.ts. */
export type Handlers = SliceHandlers<typeof channels>;

export function createRouter(
  handlers: Handlers,
  secrets: () => Iterable<string>,
  log?: DiagnosticsLog,
  /** Runs before a valid request's handler (the local tenant's restart is waited for there). */
  before?: <C extends ChannelName>(channel: C, input: ChannelParsedInput<C>) => Promise<void>,
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
        // A write to a tenant may carry why it is made, beside its input: checked on its own, kept for the audit.
        let body: unknown = payload ?? {};
        let reason: Reason | undefined;
        if (
          takesReason(channel) &&
          body &&
          typeof body === 'object' &&
          !Array.isArray(body) &&
          'reason' in body
        ) {
          const { reason: given, ...rest } = body as Record<string, unknown>;
          const r = reasonSchema.safeParse(given);
          if (!r.success)
            throw new AppError(
              'validation',
              r.error.issues
                .map((i) => `reason${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`)
                .join('; '),
            );
          reason = r.data;
          body = rest;
        }
        const parsed = channels[channel].input.safeParse(body);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
          throw new AppError(
            'validation',
            issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '),
            { details: { issues } },
          );
        }
        if (before) await before(channel, parsed.data as ChannelParsedInput<typeof channel>);
        const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
        return { ok: true, data: await withReason(reason, () => handler(parsed.data)) };
      } catch (err) {
        const error = incidentEnvelope(err, secrets(), log, 'request failed', {
          channel: typeof channel === 'string' ? channel.slice(0, 64) : typeof channel,
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
