// Auth0's users-export job, for everything that needs more users than search gives (search stops at 1,000): create
// the job, follow it (pending → processing → completed, with Auth0's percentage and time left), and stream the file
// behind its short-lived link (60 s) the moment it is ready — never held whole in memory. A link that expired is
// renewed by reading the job again (Auth0 gives a fresh one for 24 hours); a cut-off download is said as such.
import { scopedSignal } from '../auth0/scoped-signal.js';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { request } from 'undici';
import type { TenantConnection } from '../auth0/tenant-connection.js';
import { AppError } from '../errors.js';
import { withRequestPolicy } from '../scheduler/rate-scheduler.js';

export interface ExportRequest {
  format: 'json' | 'csv';
  fields: { name: string; export_as?: string }[];
  connectionId?: string;
}

export interface ExportJobStatus {
  status: 'pending' | 'processing' | 'completed' | 'failed';
  percentDone: number | null;
  timeLeftSeconds: number | null;
}

interface JobBody {
  id?: string;
  status?: string;
  location?: string;
  percentage_done?: number;
  time_left_seconds?: number;
}

/** Creates the export job and waits until it completes; returns its id and download link. */
export async function runExportJob(
  connection: TenantConnection,
  request: ExportRequest,
  signal: AbortSignal,
  onStatus: (s: ExportJobStatus) => void,
  /** The job an earlier run asked for (resumed: it is followed, not asked for again), and where to note a new one. */
  earlier: { jobId?: string; created?: (jobId: string) => void } = {},
): Promise<{ jobId: string; location: string }> {
  const management = connection.management;
  if (earlier.jobId) {
    try {
      return await followExportJob(connection, earlier.jobId, signal, onStatus);
    } catch (err) {
      // Gone (Auth0 keeps export jobs for a while only) or failed: a new one is asked for.
      if (signal.aborted) throw signal.reason;
      const status = (err as { statusCode?: number }).statusCode;
      if (status !== 404 && !(err instanceof AppError && err.code === 'auth0_error')) throw err;
    }
  }
  // Asking twice only makes a second export: safe to repeat after a 5xx.
  const created = (await withRequestPolicy({ idempotent: true }, () =>
    scopedSignal(signal, (abortSignal) =>
      management.jobs.usersExports.create(
        {
          format: request.format,
          fields: request.fields,
          ...(request.connectionId ? { connection_id: request.connectionId } : {}),
        },
        { abortSignal },
      ),
    ),
  )) as JobBody;
  const jobId = String(created.id);
  earlier.created?.(jobId);
  onStatus({ status: 'pending', percentDone: null, timeLeftSeconds: null });
  return followExportJob(connection, jobId, signal, onStatus);
}

/** Asks Auth0 about an export job until its file is ready. */
async function followExportJob(
  connection: TenantConnection,
  jobId: string,
  signal: AbortSignal,
  onStatus: (s: ExportJobStatus) => void,
): Promise<{ jobId: string; location: string }> {
  const management = connection.management;
  for (let wait = 500; ; wait = Math.min(wait * 1.5, 5_000)) {
    if (signal.aborted) throw signal.reason;
    const job = (await scopedSignal(signal, (abortSignal) =>
      management.jobs.get(jobId, { abortSignal }),
    )) as JobBody;
    const status = (job.status ?? 'pending') as ExportJobStatus['status'];
    if (status === 'completed' && job.location) {
      onStatus({ status, percentDone: 100, timeLeftSeconds: 0 });
      return { jobId, location: job.location };
    }
    if (status === 'failed')
      throw new AppError(
        'auth0_error',
        'Auth0 could not export the users (its export job failed). Try again later.',
      );
    onStatus({
      status: status === 'processing' ? 'processing' : 'pending',
      percentDone: typeof job.percentage_done === 'number' ? job.percentage_done : null,
      timeLeftSeconds: typeof job.time_left_seconds === 'number' ? job.time_left_seconds : null,
    });
    await new Promise((r) => setTimeout(r, wait));
  }
}

/**
 * Gathers the network's small pieces (16 KB TLS records) into blocks of up to 512 KB before they reach gunzip: each
 * write to zlib is a trip to the thread pool, and a few large trips cost far less than hundreds of small ones.
 * Memory stays bounded at one block.
 */
class Coalesce extends Transform {
  private parts: Buffer[] = [];
  private size = 0;
  constructor(private readonly block = 1 << 19) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size >= this.block) this.release();
    done();
  }
  override _flush(done: TransformCallback): void {
    if (this.size) this.release();
    done();
  }
  private release(): void {
    this.push(this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size));
    this.parts = [];
    this.size = 0;
  }
}

/** The export's file, gunzipped, as a stream of bytes; a link found expired is renewed (twice at most). */
export async function downloadExport(
  connection: TenantConnection,
  jobId: string,
  location: string,
  signal: AbortSignal,
): Promise<Readable> {
  let link = location;
  for (let attempt = 0; ; attempt++) {
    // undici's request gives the body as a Node stream (fetch's web stream costs a promise per network piece).
    const res = await request(link, { signal, dispatcher: connection.agent });
    if (res.statusCode >= 200 && res.statusCode < 300) {
      const gunzip = createGunzip({ chunkSize: 1 << 18 });
      const body: Readable = res.body;
      const blocks = new Coalesce();
      body.on('error', (err) => blocks.destroy(err));
      blocks.on('error', (err) => gunzip.destroy(err));
      gunzip.on('error', () => {
        body.destroy();
        blocks.destroy();
      });
      return body.pipe(blocks).pipe(gunzip);
    }
    // Read to its end and dropped (a refusal is a short XML body); destroying it would raise "Request aborted".
    await res.body.dump().catch(() => undefined);
    const status = res.statusCode;
    // Signed storage links answer 403 (or 404/410) once expired; reading the job again gives a fresh one.
    if ([403, 404, 410].includes(status) && attempt < 2) {
      const job = (await scopedSignal(signal, (abortSignal) =>
        connection.management.jobs.get(jobId, { abortSignal }),
      )) as JobBody;
      if (job.location) {
        link = job.location;
        continue;
      }
    }
    throw new AppError(
      [403, 404, 410].includes(status) ? 'auth0_error' : 'network',
      [403, 404, 410].includes(status)
        ? `The export's download link expired before its file could be fetched (${status}), and reading the job again gave no working link. Nothing was kept; export again.`
        : `The export file could not be downloaded (${status}). Nothing was kept; try again.`,
      { retryable: true },
    );
  }
}

/** A failure while reading a downloaded export, in words (a cut-off gzip stream is the usual one). */
export function downloadFailure(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e?.message ?? ''))
    return new AppError(
      'network',
      'The export download was cut off before its end (its gzip data is incomplete). Nothing was kept; export again.',
      { retryable: true },
    );
  if (e?.code?.startsWith('Z_') || e?.code === 'ERR_ZLIB')
    return new AppError(
      'auth0_error',
      `The export file is damaged (${e.message}). Nothing was kept; export again.`,
    );
  if (e?.name === 'AbortError') return new AppError('validation', 'Cancelled.');
  return new AppError(
    'network',
    `The export download failed (${e?.message ?? String(err)}). Nothing was kept; try again.`,
    {
      retryable: true,
    },
  );
}
