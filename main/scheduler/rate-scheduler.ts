// One per tenant: every request to the tenant passes here, the token request included. It mirrors the tenant's token
// buckets from the x-ratelimit-* headers, dispatches requests in priority lanes (interactive work before job work),
// caps concurrency, times each attempt from when it is sent (never while queued), and retries 429s (never applied)
// and — for requests safe to repeat — 5xx, timeouts and network failures, with backoff that honours the reset.
// Every send is accounted for exactly once (answered or failed), so no lost answer can starve the bucket; a
// watchdog reports a tenant whose queue stops moving. The SDK's own retries and timeouts are off.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TenantRateLimit } from '../../preload/contract.js';
import { AppError } from '../errors.js';
import { realClock, sleep, type Clock } from './clock.js';

export type Lane = 'interactive' | 'job';
/** Auth0 limits the Management API and the Authentication API (token endpoint) separately. */
export type BucketName = 'management' | 'authentication';

/** How one request is scheduled; set around a call with `withRequestPolicy` (it reaches the SDK's fetch). */
export interface RequestPolicy {
  lane?: Lane;
  /** Safe to send again after a 5xx, a timeout or a lost connection (GET, PUT, DELETE are by default). */
  idempotent?: boolean;
  bucket?: BucketName;
  /** Per attempt, from the moment it is sent. */
  timeoutMs?: number;
  maxRetries?: number;
}

const policies = new AsyncLocalStorage<RequestPolicy>();

/** Runs `fn` with a scheduling policy for every tenant request it makes (merged over an outer policy). */
export function withRequestPolicy<T>(policy: RequestPolicy, fn: () => T): T {
  return policies.run({ ...policies.getStore(), ...policy }, fn);
}

export interface SchedulerOptions {
  maxConcurrency?: number;
  /** Slots job work may never take, so the window's requests always find one. */
  reservedForInteractive?: number;
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  attemptTimeoutMs?: number;
  /** The watchdog calls a tenant stalled when nothing moved for this long beyond any expected wait. */
  stallAfterMs?: number;
  clock?: Clock;
  random?: () => number;
}

export interface SchedulerStats {
  /** Attempts sent to the transport; always answered + failed + in flight. */
  sent: number;
  answered: number;
  failed: number;
  retried: number;
  rateLimited: number;
  waitedMs: number;
}

export interface SchedulerHealth {
  queued: number;
  inFlight: number;
  msSinceProgress: number;
  stalled: boolean;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
/** Failures that prove nothing reached the tenant: repeating even a write is safe. */
const NOT_SENT = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT/;

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function failureCodes(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; i++) {
    if (typeof e.code === 'string') parts.push(e.code);
    e = e.cause as typeof e;
  }
  return parts.join(' ');
}

/** The tenant's token bucket as last reported, refilled at the observed rate, less what we sent since. */
class BucketMirror {
  limit: number | null = null;
  private tokens = 0;
  private at = 0;
  private rate = 1;
  /** The rate was read from the tenant's headers (not the starting guess). */
  private measured = false;
  private resyncedSeq = -1;
  /** Sends counted against this bucket so far; each send's number tells which later sends a report can't know. */
  private sends = 0;
  gateUntil = 0;

  available(now: number): number {
    if (this.limit === null) return Number.POSITIVE_INFINITY;
    return Math.min(this.limit, this.tokens + (this.rate * (now - this.at)) / 1000);
  }

  delay(now: number): number {
    const gate = Math.max(0, this.gateUntil - now);
    const available = this.available(now);
    if (available >= 1) return gate;
    return Math.max(gate, Math.ceil(((1 - available) / this.rate) * 1000));
  }

  /** Takes a token for a send and returns the send's number. */
  consume(now: number): number {
    if (this.limit !== null) {
      this.tokens = this.available(now) - 1;
      this.at = now;
    }
    return ++this.sends;
  }

  /** A response to send number `seq` reports the bucket; sends started after it are not in that count. */
  resync(seq: number, limit: number, remaining: number, resetSec: number, sentAt: number, now: number): void {
    // An older answer arriving late carries older news than one already applied.
    if (seq < this.resyncedSeq) return;
    this.resyncedSeq = seq;
    // The tenant counted this request somewhere between its send and its answer; measuring from the send
    // errs slow however late a loaded machine reads the answer (measuring from the answer erred fast).
    const untilFull = resetSec * 1000 - sentAt;
    if (limit > remaining && untilFull > 0) {
      // Reset is whole seconds rounded up, so one reading errs slow: keep the fastest seen for this limit.
      const estimate = Math.max(0.1, (limit - remaining) / (untilFull / 1000));
      this.rate = this.limit === limit ? Math.max(this.rate, estimate) : estimate;
      this.measured = true;
    }
    this.limit = limit;
    this.tokens = remaining - (this.sends - seq);
    this.at = now;
  }

  /** What the tenant's headers said of its limit: null before any answer carried them. */
  report(): TenantRateLimit | null {
    if (this.limit === null) return null;
    return { limit: this.limit, ...(this.measured ? { perSecond: Math.round(this.rate * 10) / 10 } : {}) };
  }

  /** The tenant refused: we were faster than it refills; trust the slower reading until proven wrong. */
  refused(now: number, waitMs: number): void {
    this.rate = Math.max(0.1, this.rate * 0.9);
    this.gateUntil = Math.max(this.gateUntil, now + waitMs);
  }
}

interface Waiter {
  lane: Lane;
  bucket: BucketName;
  enqueuedAt: number;
  resolve(seq: number): void;
  reject(err: unknown): void;
  detach(): void;
}

export class RateScheduler {
  private readonly maxConcurrency: number;
  private readonly reserved: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly attemptTimeoutMs: number;
  private readonly stallAfterMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;

  private readonly queues: Record<Lane, Waiter[]> = { interactive: [], job: [] };
  private readonly buckets: Record<BucketName, BucketMirror> = {
    management: new BucketMirror(),
    authentication: new BucketMirror(),
  };
  private inFlight = 0;
  private jobsInFlight = 0;
  private timer: unknown = null;
  private lastProgress: number;
  private closedWith: AppError | null = null;
  readonly stats: SchedulerStats = {
    sent: 0,
    answered: 0,
    failed: 0,
    retried: 0,
    rateLimited: 0,
    waitedMs: 0,
  };

  constructor(
    private readonly transport: typeof fetch,
    options: SchedulerOptions = {},
  ) {
    this.maxConcurrency = options.maxConcurrency ?? 4;
    this.reserved = Math.min(options.reservedForInteractive ?? 1, this.maxConcurrency - 1);
    this.maxRetries = options.maxRetries ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 300;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
    this.stallAfterMs = options.stallAfterMs ?? 60_000;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.lastProgress = this.clock.now();
  }

  /** A fetch with the scheduler's policy, to hand to the SDK. */
  readonly fetch: typeof fetch = (input, init) => this.request(input, init);

  // ---------- dispatch ----------

  /** Waits for a slot and a token; resolves with the send's number in its bucket. */
  private acquire(lane: Lane, bucket: BucketName, signal: AbortSignal | undefined): Promise<number> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise<number>((resolve, reject) => {
      const onAbort = () => {
        const queue = this.queues[lane];
        const i = queue.indexOf(waiter);
        if (i >= 0) queue.splice(i, 1);
        reject(signal!.reason);
        this.pump();
      };
      const waiter: Waiter = {
        lane,
        bucket,
        enqueuedAt: this.clock.now(),
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queues[lane].push(waiter);
      this.pump();
    });
  }

  /** Starts every waiter that may go now, interactive first; otherwise wakes up when the next one may. */
  private pump(): void {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    let wake = Number.POSITIVE_INFINITY;
    for (;;) {
      if (this.inFlight >= this.maxConcurrency) break;
      const now = this.clock.now();
      const blocked = new Set<BucketName>();
      let chosen: Waiter | undefined;
      for (const lane of ['interactive', 'job'] as const) {
        if (lane === 'job' && this.jobsInFlight >= this.maxConcurrency - this.reserved) continue;
        for (const w of this.queues[lane]) {
          if (blocked.has(w.bucket)) continue;
          const d = this.buckets[w.bucket].delay(now);
          if (d > 0) {
            blocked.add(w.bucket);
            wake = Math.min(wake, d);
            continue;
          }
          chosen = w;
          break;
        }
        if (chosen) break;
      }
      if (!chosen) break;
      const queue = this.queues[chosen.lane];
      queue.splice(queue.indexOf(chosen), 1);
      chosen.detach();
      const seq = this.buckets[chosen.bucket].consume(now);
      this.inFlight++;
      if (chosen.lane === 'job') this.jobsInFlight++;
      this.stats.waitedMs += now - chosen.enqueuedAt;
      this.lastProgress = now;
      chosen.resolve(seq);
      wake = Number.POSITIVE_INFINITY;
    }
    if (wake < Number.POSITIVE_INFINITY && this.queued() > 0)
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        this.pump();
      }, wake);
  }

  private release(lane: Lane): void {
    this.inFlight--;
    if (lane === 'job') this.jobsInFlight--;
    this.lastProgress = this.clock.now();
    this.pump();
  }

  private queued(): number {
    return this.queues.interactive.length + this.queues.job.length;
  }

  // ---------- answers ----------

  private observe(bucket: BucketName, seq: number, sentAt: number, res: Response): void {
    const limit = Number(res.headers.get('x-ratelimit-limit'));
    const remaining = Number(res.headers.get('x-ratelimit-remaining'));
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    if (!(limit > 0) || !res.headers.has('x-ratelimit-remaining') || !Number.isFinite(remaining)) return;
    this.buckets[bucket].resync(
      seq,
      limit,
      remaining,
      Number.isFinite(reset) ? reset : 0,
      sentAt,
      this.clock.now(),
    );
  }

  private retryDelay(res: Response | null, attempt: number): number {
    const retryAfter = res?.headers.get('retry-after');
    if (retryAfter && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    if (res?.status === 429) {
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      if (Number.isFinite(reset) && reset > 0) {
        // Reset is when the bucket is full; one token is back well before that.
        const untilReset = reset * 1000 - this.clock.now();
        const limit = Number(res.headers.get('x-ratelimit-limit')) || 1;
        return Math.max(50, Math.min(untilReset, untilReset / limit + 50 * this.random()));
      }
    }
    const exp = this.baseDelayMs * 2 ** attempt;
    return Math.min(this.maxDelayMs, exp / 2 + (exp / 2) * this.random());
  }

  async request(input: Parameters<typeof fetch>[0], init: RequestInit = {}): Promise<Response> {
    const policy = policies.getStore() ?? {};
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const idempotent = policy.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const lane = policy.lane ?? 'interactive';
    const bucket = policy.bucket ?? 'management';
    const timeoutMs = policy.timeoutMs ?? this.attemptTimeoutMs;
    const maxRetries = policy.maxRetries ?? this.maxRetries;
    const callerSignal = init.signal ?? undefined;

    for (let attempt = 0; ; attempt++) {
      const seq = await this.acquire(lane, bucket, callerSignal);
      const sentAt = this.clock.now();
      this.stats.sent++;
      const attemptAbort = new AbortController();
      const timer = this.clock.setTimeout(
        () =>
          attemptAbort.abort(
            new AppError(
              'timeout',
              `The tenant did not answer within ${Math.round(timeoutMs / 1000)} s. Check the network and try again.`,
              { retryable: true },
            ),
          ),
        timeoutMs,
      );
      const signal = callerSignal
        ? AbortSignal.any([callerSignal, attemptAbort.signal])
        : attemptAbort.signal;
      let res: Response | null = null;
      let failure: unknown = null;
      try {
        // Raced with the signal: even a transport that ignores aborts gives the slot back when the attempt ends.
        res = await Promise.race([this.transport(input, { ...init, signal }), rejectOnAbort(signal)]);
        this.stats.answered++;
        this.observe(bucket, seq, sentAt, res);
      } catch (err) {
        this.stats.failed++;
        failure = attemptAbort.signal.aborted && !callerSignal?.aborted ? attemptAbort.signal.reason : err;
      } finally {
        this.clock.clearTimeout(timer);
        this.release(lane);
      }
      if (callerSignal?.aborted) {
        if (res) return res;
        throw failure;
      }
      const canRetry = attempt < maxRetries;
      if (res && res.status === 429) {
        this.stats.rateLimited++;
        // A 429 was refused before anything happened, so even a write may be sent again.
        if (!canRetry) return res;
        this.buckets[bucket].refused(this.clock.now(), this.retryDelay(res, attempt));
        await res.arrayBuffer().catch(() => undefined);
        this.stats.retried++;
        continue;
      }
      if (res && RETRYABLE_STATUS.has(res.status) && idempotent && canRetry) {
        await res.arrayBuffer().catch(() => undefined);
        this.stats.retried++;
        await sleep(this.clock, this.retryDelay(res, attempt), callerSignal);
        continue;
      }
      if (res) return res;
      if ((idempotent || NOT_SENT.test(failureCodes(failure))) && canRetry) {
        this.stats.retried++;
        await sleep(this.clock, this.retryDelay(null, attempt), callerSignal);
        continue;
      }
      throw failure;
    }
  }

  // ---------- health ----------

  /** The tenant's rate limit for one bucket, as its x-ratelimit-* headers reported it (null before they did). */
  rateLimit(bucket: BucketName = 'management'): TenantRateLimit | null {
    return this.buckets[bucket].report();
  }

  health(): SchedulerHealth {
    const now = this.clock.now();
    const queued = this.queued();
    const msSinceProgress = now - this.lastProgress;
    let expectedWait = 0;
    for (const lane of ['interactive', 'job'] as const)
      for (const w of this.queues[lane])
        expectedWait = Math.max(expectedWait, this.buckets[w.bucket].delay(now));
    const busy = queued > 0 || this.inFlight > 0;
    const allowance = this.stallAfterMs + expectedWait + (this.inFlight > 0 ? this.attemptTimeoutMs : 0);
    return { queued, inFlight: this.inFlight, msSinceProgress, stalled: busy && msSinceProgress > allowance };
  }

  /** Checks health every `everyMs` and reports a stall once per episode; returns a stop function. */
  watch(onStall: (health: SchedulerHealth) => void, everyMs = 5_000): () => void {
    let reported = false;
    let handle: unknown;
    const tick = () => {
      const h = this.health();
      if (h.stalled && !reported) onStall(h);
      reported = h.stalled;
      handle = this.clock.setTimeout(tick, everyMs);
    };
    handle = this.clock.setTimeout(tick, everyMs);
    return () => this.clock.clearTimeout(handle);
  }

  /** The connection is going away: whatever still waits fails with this error instead of hanging. */
  close(reason: AppError): void {
    this.closedWith = reason;
    for (const lane of ['interactive', 'job'] as const) {
      for (const w of this.queues[lane].splice(0)) {
        w.detach();
        w.reject(reason);
      }
    }
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
