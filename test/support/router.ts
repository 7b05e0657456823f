// Calling the router as the window does, in tests: the answer's data, or the failure's envelope.
import type { ErrorEnvelope, ExportStatus, TaskSummary } from '../../preload/contract.js';
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

/** Hands a file to main as the window does (uploads:begin, pieces of base64, uploads:finish), read from disk piece
 * by piece so that the test process never holds a large file whole. */
export async function uploadThroughRouter(
  app: App,
  name: string,
  source: Buffer | string,
  piece = 3 * 1024 * 1024,
): Promise<string> {
  const { openSync, readSync, closeSync, statSync } = await import('node:fs');
  const bytes = typeof source === 'string' ? statSync(source).size : source.length;
  const { uploadId } = await routerCall<{ uploadId: string }>(app, 'uploads:begin', { name, bytes });
  const fd = typeof source === 'string' ? openSync(source, 'r') : null;
  try {
    const buf = Buffer.alloc(piece);
    for (let at = 0; at < bytes; at += piece) {
      const data =
        fd === null
          ? (source as Buffer).subarray(at, at + piece)
          : buf.subarray(0, readSync(fd, buf, 0, Math.min(piece, bytes - at), at));
      await routerCall(app, 'uploads:chunk', { uploadId, offset: at, data: data.toString('base64') });
    }
  } finally {
    if (fd !== null) closeSync(fd);
  }
  await routerCall(app, 'uploads:finish', { uploadId });
  return uploadId;
}

/** An export's status (of a tenant, of a snapshot, or a file opened as a snapshot) from a task:progress event. */
export function exportProgress(event: string, payload: unknown): ExportStatus | null {
  if (event !== 'task:progress') return null;
  const detail = (payload as TaskSummary).detail;
  return 'export' in detail ? detail.export : null;
}
