// Main's side of the offline worker: started on first use, one request at a time per call with its own id, progress
// relayed to the caller. If the worker dies, every pending call fails with that said in words, and the next call
// starts a new one. In plain Node (tests, the browser host) the worker runs the TypeScript sources through tsx; in
// the packaged app, the bundle beside main's (out/main/offline-worker.cjs).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../../preload/contract.js';
import { AppError } from '../errors.js';
import { forkSnapshotBuilder } from '../snapshots/builder-launch.js';
import type { SnapshotBuilder } from '../snapshots/snapshot-file.js';
import type {
  WorkerArgs,
  WorkerBuildAnswer,
  WorkerBuildAsk,
  WorkerMethod,
  WorkerProgress,
  WorkerRequest,
  WorkerResponse,
  WorkerResult,
} from './protocol.js';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  progress?: (data: unknown) => void;
}

/**
 * The worker's heap limits: its work is streaming (a batch of users at a time), so a small young generation keeps
 * its memory near what it holds, and the old generation's cap turns a runaway into an error instead of a swapping
 * machine.
 */
export const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 1024 } as const;

/** How to start the worker here: the bundle when running from it, else the sources through tsx. */
export function defaultWorker(): Worker {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'offline-worker.cjs');
  if (!import.meta.url.endsWith('.ts') && existsSync(bundled))
    return new Worker(bundled, { resourceLimits: WORKER_LIMITS });
  // tsx's ESM API (its package exports map "import" to the .mjs file beside the .cjs one require finds).
  const tsxCjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const tsx = pathToFileURL(tsxCjs.replace(/\.cjs$/, '.mjs')).href;
  const entry = pathToFileURL(join(here, 'worker.ts')).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true, resourceLimits: WORKER_LIMITS },
  );
}

/** A worker with nothing to do for this long is stopped, giving back all its memory (an export's heap, exceljs). */
export const WORKER_IDLE_MS = 5_000;

export class OfflineEngine {
  private worker: Worker | null = null;
  private ready: Promise<Worker> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Sinks open in the worker: an export between two of its calls still needs it. */
  private readonly openSinks = new Set<string>();
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly start: () => Worker = defaultWorker,
    private readonly idleMs = WORKER_IDLE_MS,
    /** How snapshots are built: a Node child process here, Electron's utility process in the app. */
    private readonly builder: SnapshotBuilder = forkSnapshotBuilder,
  ) {}

  /** The builder's peak memory of the last build (the export benchmark prints it). */
  lastBuildPeakRssMb: number | null = null;

  /** A build the worker asks for: run in the builder's process, answered to the worker. */
  private build(w: Worker, ask: WorkerBuildAsk['build']): void {
    this.builder(ask.request).then(
      (r) => {
        this.lastBuildPeakRssMb = r.peakRssMb;
        w.postMessage({ buildDone: ask.buildId, ok: true, ...r } satisfies WorkerBuildAnswer);
      },
      (err: Error) =>
        w.postMessage({
          buildDone: ask.buildId,
          ok: false,
          message: err.message,
        } satisfies WorkerBuildAnswer),
    );
  }

  /** Whether a worker is running now (tests). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Stops the worker once nothing is pending and no sink is open for idleMs; the next call starts a new one. */
  private scheduleIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.pending.size > 0 || this.openSinks.size > 0 || !this.worker) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.pending.size === 0 && this.openSinks.size === 0) void this.close();
    }, this.idleMs);
    this.idleTimer.unref?.();
  }

  private get(): Promise<Worker> {
    this.ready ??= new Promise<Worker>((resolve, reject) => {
      const w = this.start();
      this.worker = w;
      w.on('message', (msg: WorkerResponse | WorkerBuildAsk | { ready: true }) => {
        if ('ready' in msg) return resolve(w);
        if ('build' in msg) return this.build(w, msg.build);
        const p = this.pending.get(msg.id);
        if (!p) return;
        if ('progress' in msg) return p.progress?.(msg.progress);
        this.pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.result);
        else
          p.reject(
            new AppError(msg.error.code as ErrorCode, msg.error.message, {
              ...(msg.error.code === 'invalid_query' ? { status: 400 } : {}),
            }),
          );
      });
      const fail = (why: string) => {
        reject(new AppError('internal', why));
        for (const p of this.pending.values()) p.reject(new AppError('internal', why));
        this.pending.clear();
        this.openSinks.clear();
        this.worker = null;
        this.ready = null;
      };
      w.on('error', (err) => fail(`The offline worker failed: ${err.message}`));
      w.on('exit', (code) => {
        if (this.worker === w) fail(`The offline worker stopped (exit code ${code}); try again.`);
      });
    });
    return this.ready;
  }

  /** One request to the worker, typed by the protocol's table (the worker checks the arguments again). */
  async call<M extends WorkerMethod>(
    method: M,
    args: WorkerArgs<M>,
    progress?: (data: WorkerProgress<M>) => void,
  ): Promise<WorkerResult<M>> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const sinkId = method.startsWith('sink.') ? String((args as { id?: unknown }).id) : null;
    if (method === 'sink.open') this.openSinks.add(sinkId!);
    try {
      const w = await this.get();
      const id = this.nextId++;
      return await new Promise<WorkerResult<M>>((resolve, reject) => {
        this.pending.set(id, {
          resolve: resolve as (v: unknown) => void,
          reject,
          ...(progress ? { progress: progress as (data: unknown) => void } : {}),
        });
        w.postMessage({ id, method, args } satisfies WorkerRequest);
      });
    } catch (err) {
      if (method === 'sink.open') this.openSinks.delete(sinkId!);
      throw err;
    } finally {
      const sinkEnded = method === 'sink.finish' || method === 'sink.abort';
      if (sinkEnded) this.openSinks.delete(sinkId!);
      // An export's worker has grown with it (its batches, exceljs, SQLite's caches): once the last one is done
      // and nothing else waits, the worker goes at once and the next call starts a fresh one (in ~0.1 s).
      if (sinkEnded && this.openSinks.size === 0 && this.pending.size === 0) void this.close();
      else this.scheduleIdleStop();
    }
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.openSinks.clear();
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) await w.terminate();
  }
}
