// Calling the router as the window does, in tests: the answer's data, or the failure's envelope.
import type { ErrorEnvelope } from '../../preload/contract.js';
import type { App } from '../../main/app.js';

/** The data of a successful answer; a failure is thrown with its envelope. */
export async function routerCall<T>(app: App, channel: string, payload: unknown): Promise<T> {
  const r = await app.router.invoke(channel, payload);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { envelope: r.error });
  return r.data as T;
}

/** The envelope of an answer that must be a failure. */
export async function routerFailure(app: App, channel: string, payload: unknown): Promise<ErrorEnvelope> {
  const r = await app.router.invoke(channel, payload);
  if (r.ok) throw new Error(`${channel} succeeded where it should fail`);
  return r.error;
}
