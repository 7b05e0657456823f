// One per tenant: every request to the tenant passes here. It mirrors the tenant's token bucket from the
// x-ratelimit-* headers, spaces requests to stay under it, caps concurrency, and retries 429s (never applied) and —
// for idempotent requests, or writes the caller marks safe — 5xx and network failures, with backoff that honours
// the reset time. The SDK's own retries are off; this is the only retry policy.

export const RETRY_UNSAFE_HEADER = 'x-tenant-desk-retry-unsafe';

export interface SchedulerOptions {
  maxConcurrency?: number;
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface SchedulerStats {
  sent: number;
  retried: number;
  rateLimited: number;
  waitedMs: number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

export class RateScheduler {
  private readonly maxConcurrency: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** Bucket as last reported by the tenant, minus what we sent since. */
  private limit: number | null = null;
  private remaining: number | null = null;
  private reportedAt = 0;
  private refillPerSecond = 1;
  private sentSinceReport = 0;
  private gateUntil = 0;
  readonly stats: SchedulerStats = { sent: 0, retried: 0, rateLimited: 0, waitedMs: 0 };

  constructor(
    private readonly transport: typeof fetch,
    options: SchedulerOptions = {},
  ) {
    this.maxConcurrency = options.maxConcurrency ?? 4;
    this.maxRetries = options.maxRetries ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 300;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
  }

  /** A fetch with the scheduler's policy, to hand to the SDK. */
  readonly fetch: typeof fetch = (input, init) => this.request(input, init);

  private async acquireSlot(): Promise<void> {
    if (this.inFlight < this.maxConcurrency) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
  }

  private releaseSlot(): void {
    this.inFlight--;
    this.waiting.shift()?.();
  }

  /** How long to wait before the next request so the mirrored bucket keeps at least one token. */
  private delayBeforeSend(): number {
    const now = this.now();
    let delay = Math.max(0, this.gateUntil - now);
    if (this.limit !== null && this.remaining !== null) {
      // The bucket refills at `refillPerSecond` since the tenant last reported it, less what we sent since.
      const refilled = Math.min(
        this.limit,
        this.remaining + (this.refillPerSecond * (now - this.reportedAt)) / 1000,
      );
      const available = refilled - this.sentSinceReport;
      if (available < 1) delay = Math.max(delay, Math.ceil(((1 - available) / this.refillPerSecond) * 1000));
    }
    return delay;
  }

  private observe(res: Response): void {
    const limit = Number(res.headers.get('x-ratelimit-limit'));
    const remaining = Number(res.headers.get('x-ratelimit-remaining'));
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    if (
      Number.isFinite(limit) &&
      limit > 0 &&
      res.headers.has('x-ratelimit-remaining') &&
      Number.isFinite(remaining)
    ) {
      const now = this.now();
      this.limit = limit;
      this.remaining = remaining;
      // Requests still in flight may not be in this count yet: treat them as spent (this one excluded).
      this.sentSinceReport = Math.max(0, this.inFlight - 1);
      this.reportedAt = now;
      const untilFull = Number.isFinite(reset) && reset > 0 ? reset * 1000 - now : 0;
      // Reset is when the bucket is full again (whole seconds, so this errs on the slow side).
      if (limit > remaining && untilFull > 0)
        this.refillPerSecond = Math.max(0.1, (limit - remaining) / (untilFull / 1000));
    }
  }

  private retryDelay(res: Response | null, attempt: number): number {
    const retryAfter = res?.headers.get('retry-after');
    if (retryAfter && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    if (res?.status === 429) {
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      if (Number.isFinite(reset) && reset > 0) {
        // Reset is when the bucket is full; one token is back well before that.
        const untilReset = reset * 1000 - this.now();
        const limit = Number(res.headers.get('x-ratelimit-limit')) || 1;
        return Math.max(50, Math.min(untilReset, untilReset / limit + 50 * this.random()));
      }
    }
    const exp = this.baseDelayMs * 2 ** attempt;
    return Math.min(this.maxDelayMs, exp / 2 + (exp / 2) * this.random());
  }

  async request(input: Parameters<typeof fetch>[0], init: RequestInit = {}): Promise<Response> {
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(init.headers);
    const retryUnsafe = headers.get(RETRY_UNSAFE_HEADER) === '1';
    headers.delete(RETRY_UNSAFE_HEADER);
    const mayRepeat = IDEMPOTENT.has(method) || retryUnsafe;
    const finalInit: RequestInit = { ...init, headers };

    for (let attempt = 0; ; attempt++) {
      await this.acquireSlot();
      let res: Response | null = null;
      let failure: unknown = null;
      try {
        for (let d = this.delayBeforeSend(); d > 0; d = this.delayBeforeSend()) {
          this.stats.waitedMs += d;
          await this.sleep(d);
        }
        this.sentSinceReport++;
        this.stats.sent++;
        res = await this.transport(input, finalInit);
        this.observe(res);
      } catch (err) {
        failure = err;
      } finally {
        this.releaseSlot();
      }
      if (init.signal?.aborted) {
        if (res) return res;
        throw failure;
      }
      const canRetry = attempt < this.maxRetries;
      if (res && res.status === 429) {
        this.stats.rateLimited++;
        // A 429 was refused before anything happened, so even a write may be sent again.
        if (!canRetry) return res;
        const wait = this.retryDelay(res, attempt);
        this.gateUntil = Math.max(this.gateUntil, this.now() + wait);
        await res.arrayBuffer().catch(() => undefined);
        this.stats.retried++;
        continue;
      }
      if (res && RETRYABLE_STATUS.has(res.status) && mayRepeat && canRetry) {
        await res.arrayBuffer().catch(() => undefined);
        this.stats.retried++;
        await this.sleep(this.retryDelay(res, attempt));
        continue;
      }
      if (res) return res;
      if (mayRepeat && canRetry && !(failure instanceof Error && failure.name === 'AbortError')) {
        this.stats.retried++;
        await this.sleep(this.retryDelay(null, attempt));
        continue;
      }
      throw failure;
    }
  }
}
