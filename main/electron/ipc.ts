// The Electron adapter of the router: one ipcMain.handle per contract channel, each behind a sender check, and
// router events forwarded to the window. It takes ipcMain as a parameter so it can be tested without Electron.
import type { IpcMainInvokeEvent } from 'electron';
import type { ErrorEnvelope, Result } from '../../preload/contract.js';
import type { Router } from '../router.js';

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown> | unknown,
  ): void;
  removeHandler(channel: string): void;
}

/** Accepts only the top-level frame of one of our windows, showing our own origin. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

const untrusted: ErrorEnvelope = {
  code: 'validation',
  message: 'Request refused: it did not come from the Tenant Desk window.',
  retryable: false,
};
const failed: ErrorEnvelope = {
  code: 'internal',
  message: 'Tenant Desk could not handle this request.',
  retryable: false,
};

export function registerIpc(ipcMain: IpcMainLike, router: Router, isTrusted: SenderCheck): () => void {
  for (const channel of router.channelNames) {
    ipcMain.handle(channel, async (event, payload): Promise<Result<unknown>> => {
      // Never throw across the bridge: Electron would pass only the message, and it might not be ours.
      try {
        if (!isTrusted(event)) return { ok: false, error: untrusted };
        return await router.invoke(channel, payload);
      } catch {
        // The router answers with envelopes; this only guards the promise of never throwing.
        return { ok: false, error: failed };
      }
    });
  }
  return () => {
    for (const channel of router.channelNames) ipcMain.removeHandler(channel);
  };
}

/** The origin of a frame's URL; for app:// (which WHATWG URL gives the opaque origin "null") scheme and host. */
export function originOf(frameUrl: string): string | null {
  try {
    const url = new URL(frameUrl);
    if (url.origin !== 'null') return url.origin;
    return url.host ? `${url.protocol}//${url.host}` : null;
  } catch {
    return null;
  }
}

/** The default sender check: known window, top-level frame, own origin. */
export function trustedSender(
  isOurWindow: (event: IpcMainInvokeEvent) => boolean,
  allowedOrigins: readonly string[],
): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || !isOurWindow(event)) return false;
    if (frame !== event.sender.mainFrame) return false;
    const origin = originOf(frame.url);
    return origin !== null && allowedOrigins.includes(origin);
  };
}

/** Forwards the router's events to the window; returns the unsubscribe. */
export function forwardEvents(router: Router, send: (event: string, payload: unknown) => void): () => void {
  return router.subscribe((event, payload) => send(event, payload));
}
