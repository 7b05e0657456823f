// Auth0-style token bucket: `burst` tokens, refilled at `rps` per second. Every /api/v2 response carries its state.

export interface RateLimitOptions {
  rps: number;
  burst: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly options: RateLimitOptions,
    /** false: report headers but never refuse (no --rate-limit given). */
    readonly enforced: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = options.burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((t - this.last) / 1000) * this.options.rps);
    this.last = t;
  }

  /** Takes one token; returns whether the request may proceed and the headers to send either way. */
  take(): { allowed: boolean; headers: Record<string, string> } {
    this.refill();
    let allowed = true;
    if (this.tokens >= 1) this.tokens -= 1;
    else if (this.enforced) allowed = false;
    else this.tokens = 0;
    const missing = this.options.burst - this.tokens;
    // Reset: when the bucket is full again (Auth0 sends Unix seconds).
    const resetMs = this.now() + (missing / this.options.rps) * 1000;
    return {
      allowed,
      headers: {
        'x-ratelimit-limit': String(this.options.burst),
        'x-ratelimit-remaining': String(Math.max(0, Math.floor(this.tokens))),
        'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
      },
    };
  }
}

/** Parses the CLI form `RPS[:BURST]`. */
export function parseRateLimit(text: string): RateLimitOptions {
  const m = /^(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`--rate-limit expects RPS[:BURST], e.g. 10:10 (got "${text}")`);
  const rps = Number(m[1]);
  const burst = m[2] ? Number(m[2]) : Math.max(1, Math.ceil(rps));
  if (rps <= 0 || burst < 1) throw new Error('--rate-limit needs RPS > 0 and BURST >= 1');
  return { rps, burst };
}
