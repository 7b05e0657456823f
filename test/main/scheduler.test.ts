// The per-tenant scheduler: spacing under the tenant's limit, retries that honour the reset, no blind repeats, exact
// accounting under aborts and timeouts, priority lanes, the watchdog — on a virtual clock, plus one real run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenBucket } from '../../emulator/ratelimit.js';
import { AppError, classify } from '../../main/errors.js';
import {
  RateScheduler,
  withRequestPolicy,
  type SchedulerOptions,
} from '../../main/scheduler/rate-scheduler.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';
import { VirtualClock } from '../support/virtual-clock.js';

function response(status: number, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify({ statusCode: status }), { status, headers });
}

function waitFor(clock: VirtualClock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const h = clock.setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clock.clearTimeout(h);
      reject(signal.reason);
    });
  });
}

/** A scripted transport: each call takes the next step (a status, an error, or a function of the time). */
function scripted(steps: (number | Error | ((now: number) => Response))[], options: SchedulerOptions = {}) {
  const clock = new VirtualClock();
  const calls: { method: string; at: number }[] = [];
  const transport = (async (_input: unknown, init?: RequestInit) => {
    calls.push({ method: init?.method ?? 'GET', at: clock.now() });
    const next = steps.shift();
    if (next === undefined) return response(200);
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next(clock.now());
    return response(next);
  }) as typeof fetch;
  const scheduler = new RateScheduler(transport, { clock, random: () => 0.5, ...options });
  /** Runs one request to its end on the virtual clock. */
  const run = async (init: RequestInit, policy = {}) => {
    let result: { res?: Response; err?: unknown } | undefined;
    withRequestPolicy(policy, () =>
      scheduler.fetch('https://t.example/api/v2/users/x', init).then(
        (res) => (result = { res }),
        (err: unknown) => (result = { err }),
      ),
    );
    await clock.runUntil(() => result !== undefined, 10 * 60_000);
    if (!result) throw new Error('the request never settled');
    return result;
  };
  return { scheduler, calls, clock, run };
}

/** A tenant simulated on the virtual clock: a token bucket, latency, and faults chosen by `fault`. */
function simulatedTenant(
  clock: VirtualClock,
  limit: { rps: number; burst: number },
  fault: (call: number, method: string) => 'ok' | '503' | 'hang' | 'reset' = () => 'ok',
  latencyMs = 20,
) {
  const bucket = new TokenBucket(limit, true, () => clock.now());
  const log = { calls: 0, refused: 0, applied: new Map<string, number>(), hung: 0 };
  const transport = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const call = ++log.calls;
    const method = init?.method ?? 'GET';
    const kind = fault(call, method);
    if (kind === 'reset')
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    if (kind === 'hang') {
      log.hung++;
      return new Promise<Response>(() => undefined); // ignores the abort signal too
    }
    await waitFor(clock, latencyMs, init?.signal ?? undefined);
    const { allowed, headers } = bucket.take();
    if (!allowed) {
      log.refused++;
      return response(429, headers);
    }
    if (kind === '503') return response(503, headers);
    const key = `${method} ${String(input)}`;
    log.applied.set(key, (log.applied.get(key) ?? 0) + 1);
    return response(200, headers);
  }) as typeof fetch;
  return { transport, log };
}

describe('RateScheduler retries', () => {
  it('retries a 429 after the tenant\u2019s reset and then succeeds', async () => {
    const s = scripted([
      (now) =>
        response(429, {
          'x-ratelimit-limit': '10',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(now / 1000) + 3),
        }),
    ]);
    const { res } = await s.run({ method: 'GET' });
    expect(res?.status).toBe(200);
    expect(s.calls).toHaveLength(2);
    // One token is back after a tenth of the time to a full bucket (3 s / 10), never immediately.
    expect(s.calls[1]!.at - s.calls[0]!.at).toBeGreaterThanOrEqual(250);
    expect(s.scheduler.stats.rateLimited).toBe(1);
  });

  it('reports the tenant\u2019s limit from its x-ratelimit-* headers: the bucket, then its refill once measured', async () => {
    const s = scripted([
      (now) =>
        response(200, {
          'x-ratelimit-limit': '10',
          'x-ratelimit-remaining': '10',
          'x-ratelimit-reset': String(Math.ceil(now / 1000)),
        }),
      (now) =>
        response(200, {
          'x-ratelimit-limit': '10',
          'x-ratelimit-remaining': '8',
          'x-ratelimit-reset': String(Math.ceil(now / 1000) + 1),
        }),
    ]);
    expect(s.scheduler.rateLimit()).toBeNull();
    await s.run({ method: 'GET' });
    // A full bucket says its size but not how fast it refills.
    expect(s.scheduler.rateLimit()).toEqual({ limit: 10 });
    await s.run({ method: 'GET' });
    const limit = s.scheduler.rateLimit()!;
    expect(limit.limit).toBe(10);
    expect(limit.perSecond).toBeGreaterThan(0);
    expect(s.scheduler.rateLimit('authentication')).toBeNull();
  });

  it('retries a 429 even for a POST, because the tenant applied nothing', async () => {
    const s = scripted([429]);
    const { res } = await s.run({ method: 'POST', body: '{}' });
    expect(res?.status).toBe(200);
    expect(s.calls.map((c) => c.method)).toEqual(['POST', 'POST']);
  });

  it('retries 5xx for idempotent requests with growing backoff', async () => {
    const s = scripted([503, 500, 502]);
    const { res } = await s.run({ method: 'GET' });
    expect(res?.status).toBe(200);
    const gaps = s.calls.slice(1).map((c, i) => c.at - s.calls[i]!.at);
    expect(gaps).toHaveLength(3);
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
  });

  it('never blindly repeats a write after a 5xx or a lost connection', async () => {
    const s = scripted([503]);
    expect((await s.run({ method: 'POST', body: '{}' })).res?.status).toBe(503);
    expect(s.calls).toHaveLength(1);
    const n = scripted([Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } })]);
    const { err } = await n.run({ method: 'PATCH', body: '{}' });
    expect(String(err)).toContain('fetch failed');
    expect(n.calls).toHaveLength(1);
  });

  it('repeats a write its command declares idempotent (a metadata merge) after a 5xx and a lost connection', async () => {
    const s = scripted([
      503,
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }),
    ]);
    const { res } = await s.run({ method: 'PATCH', body: '{}' }, { idempotent: true });
    expect(res?.status).toBe(200);
    expect(s.calls.map((c) => c.method)).toEqual(['PATCH', 'PATCH', 'PATCH']);
  });

  it('repeats even a POST when the connection was refused, since nothing reached the tenant', async () => {
    const s = scripted([Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })]);
    expect((await s.run({ method: 'POST', body: '{}' })).res?.status).toBe(200);
    expect(s.calls).toHaveLength(2);
  });

  it('gives up after its retry budget and returns the last answer', async () => {
    const s = scripted([503, 503, 503, 503, 503, 503, 503]);
    expect((await s.run({ method: 'GET' })).res?.status).toBe(503);
    expect(s.calls).toHaveLength(6);
  });
});

describe('RateScheduler timeouts (defect 5)', () => {
  it('times an attempt from when it is sent: a long queue under a slow bucket times nothing out', async () => {
    const clock = new VirtualClock();
    const tenant = simulatedTenant(clock, { rps: 2, burst: 2 });
    const scheduler = new RateScheduler(tenant.transport, { clock, attemptTimeoutMs: 10_000 });
    const outcomes: (number | string)[] = [];
    for (let i = 0; i < 100; i++)
      void scheduler.fetch(`https://t.example/api/v2/users/${i}`).then(
        (r) => outcomes.push(r.status),
        (e: unknown) => outcomes.push(String((e as Error).message)),
      );
    // 100 requests at 2/s queue for ~50 s: five times the timeout, which must not count the wait.
    expect(await clock.runUntil(() => outcomes.length === 100, 5 * 60_000)).toBe(true);
    expect(outcomes.filter((o) => o !== 200)).toEqual([]);
  });

  it('answers a request that hangs with a retryable timeout, classified as such (not "something went wrong")', async () => {
    const clock = new VirtualClock();
    const tenant = simulatedTenant(clock, { rps: 10, burst: 10 }, () => 'hang');
    const scheduler = new RateScheduler(tenant.transport, { clock, attemptTimeoutMs: 5_000 });
    let error: unknown;
    void scheduler
      .fetch('https://t.example/api/v2/users', { method: 'POST', body: '{}' })
      .catch((e) => (error = e));
    expect(await clock.runUntil(() => error !== undefined, 60_000)).toBe(true);
    expect(tenant.log.calls).toBe(1); // a POST that may have been applied is not sent again
    const classified = classify(error);
    expect(classified).toBeInstanceOf(AppError);
    expect(classified.code).toBe('timeout');
    // And wrapped the way the SDK wraps what its fetch throws, it is still our timeout.
    expect(classify(Object.assign(new Error('x'), { cause: error })).code).toBe('timeout');
  });

  it('retries a timed-out read, and a timed-out idempotent write', async () => {
    const clock = new VirtualClock();
    const tenant = simulatedTenant(clock, { rps: 10, burst: 10 }, (call) => (call === 1 ? 'hang' : 'ok'));
    const scheduler = new RateScheduler(tenant.transport, { clock, attemptTimeoutMs: 5_000 });
    let status = 0;
    withRequestPolicy({ idempotent: true }, () =>
      scheduler
        .fetch('https://t.example/api/v2/users/u', { method: 'PATCH' })
        .then((r) => (status = r.status)),
    );
    expect(await clock.runUntil(() => status !== 0, 60_000)).toBe(true);
    expect(status).toBe(200);
    expect(tenant.log.calls).toBe(2);
  });
});

describe('RateScheduler accounting (defect 2)', () => {
  it('300 concurrent reads, a fifth of whose answers are lost, all complete and every send is accounted for', async () => {
    const clock = new VirtualClock();
    const tenant = simulatedTenant(clock, { rps: 10, burst: 10 }, (call) => (call % 5 === 0 ? 'hang' : 'ok'));
    const scheduler = new RateScheduler(tenant.transport, { clock, attemptTimeoutMs: 5_000, maxRetries: 8 });
    const done: number[] = [];
    for (let i = 0; i < 300; i++)
      void scheduler.fetch(`https://t.example/api/v2/users/${i}`).then((r) => done.push(r.status));
    expect(await clock.runUntil(() => done.length === 300, 30 * 60_000)).toBe(true);
    expect(done.every((s) => s === 200)).toBe(true);
    const { sent, answered, failed } = scheduler.stats;
    expect(sent).toBe(answered + failed);
    expect(failed).toBe(tenant.log.hung);
    expect(scheduler.health()).toMatchObject({ queued: 0, inFlight: 0, stalled: false });
  });

  it('keeps sending after many sends were aborted by their callers mid-flight', async () => {
    const clock = new VirtualClock();
    const tenant = simulatedTenant(clock, { rps: 10, burst: 10 }, () => 'ok', 1_000);
    const scheduler = new RateScheduler(tenant.transport, { clock, maxConcurrency: 8 });
    const aborts: AbortController[] = [];
    const settled: string[] = [];
    for (let i = 0; i < 40; i++) {
      const a = new AbortController();
      aborts.push(a);
      void scheduler.fetch(`https://t.example/api/v2/users/${i}`, { signal: a.signal }).then(
        () => settled.push('ok'),
        () => settled.push('aborted'),
      );
    }
    await clock.runUntil(() => false, 500); // some are in flight, some queued
    for (const a of aborts) a.abort(new Error('cancelled'));
    await clock.runUntil(() => settled.length === 40, 10_000);
    expect(settled.filter((s) => s === 'aborted')).toHaveLength(40);
    // The bucket was not poisoned by sends that got no answer: new work goes through at the tenant's pace.
    const later: number[] = [];
    for (let i = 0; i < 30; i++)
      void scheduler.fetch(`https://t.example/x/${i}`).then((r) => later.push(r.status));
    expect(await clock.runUntil(() => later.length === 30, 60_000)).toBe(true);
    expect(scheduler.stats.sent).toBe(scheduler.stats.answered + scheduler.stats.failed);
  });

  it('never hangs under random delays, aborts, timeouts, 429s and 5xx; sends balance (property, 25 seeds)', async () => {
    for (let seed = 1; seed <= 25; seed++) {
      let x = seed * 7919;
      const random = () => (x = (x * 48271) % 2147483647) / 2147483647;
      const clock = new VirtualClock();
      const tenant = simulatedTenant(
        clock,
        { rps: 5 + Math.floor(random() * 20), burst: 1 + Math.floor(random() * 20) },
        () => {
          const r = random();
          return r < 0.05 ? 'hang' : r < 0.1 ? 'reset' : r < 0.2 ? '503' : 'ok';
        },
        Math.floor(random() * 200),
      );
      const scheduler = new RateScheduler(tenant.transport, {
        clock,
        random,
        attemptTimeoutMs: 2_000 + Math.floor(random() * 5_000),
        maxConcurrency: 1 + Math.floor(random() * 8),
      });
      const n = 150;
      const settled: string[] = [];
      for (let i = 0; i < n; i++) {
        const method = ['GET', 'PATCH', 'POST', 'DELETE'][Math.floor(random() * 4)]!;
        const abort = new AbortController();
        if (random() < 0.1) clock.setTimeout(() => abort.abort(new Error('cancelled')), random() * 20_000);
        const policy = {
          lane: random() < 0.5 ? ('job' as const) : ('interactive' as const),
          idempotent: method !== 'POST',
        };
        withRequestPolicy(policy, () =>
          scheduler.fetch(`https://t.example/api/v2/users/${i}`, { method, signal: abort.signal }).then(
            (r) => settled.push(String(r.status)),
            () => settled.push('error'),
          ),
        );
      }
      const finished = await clock.runUntil(() => settled.length === n, 60 * 60_000);
      expect(finished, `seed ${seed}: ${settled.length}/${n} settled`).toBe(true);
      const { sent, answered, failed } = scheduler.stats;
      expect(sent, `seed ${seed}`).toBe(answered + failed);
      expect(scheduler.health(), `seed ${seed}`).toMatchObject({ queued: 0, inFlight: 0 });
    }
  });
});

describe('RateScheduler lanes and watchdog', () => {
  it('sends interactive requests ahead of queued job requests, and keeps a slot jobs can\u2019t take', async () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    let jobsInFlight = 0;
    let maxJobsInFlight = 0;
    const transport = (async (input: Parameters<typeof fetch>[0]) => {
      const url = String(input);
      order.push(url);
      const job = url.includes('/job/');
      if (job) maxJobsInFlight = Math.max(maxJobsInFlight, ++jobsInFlight);
      await waitFor(clock, 100);
      if (job) jobsInFlight--;
      return response(200);
    }) as typeof fetch;
    const scheduler = new RateScheduler(transport, { clock, maxConcurrency: 4 });
    const done: string[] = [];
    for (let i = 0; i < 50; i++)
      withRequestPolicy({ lane: 'job' }, () =>
        scheduler.fetch(`https://t.example/job/${i}`).then(() => done.push('job')),
      );
    await clock.runUntil(() => false, 250);
    void scheduler.fetch('https://t.example/interactive').then(() => done.push('interactive'));
    await clock.runUntil(() => done.includes('interactive'), 60_000);
    // At 250 ms about 9 jobs were sent (3 at a time); the window's request went next, not after the other 41.
    expect(order.indexOf('https://t.example/interactive')).toBeLessThan(12);
    expect(maxJobsInFlight).toBe(3);
    await clock.runUntil(() => done.length === 51, 60_000);
  });

  it('reports a queue that stopped moving (a lost wake-up), once per episode', async () => {
    const clock = new VirtualClock();
    const tenant = simulatedTenant(clock, { rps: 1, burst: 1 });
    const scheduler = new RateScheduler(tenant.transport, { clock, stallAfterMs: 30_000, maxConcurrency: 1 });
    const reports: number[] = [];
    const stop = scheduler.watch((h) => reports.push(h.queued), 5_000);
    for (let i = 0; i < 5; i++) void scheduler.fetch(`https://t.example/${i}`).catch(() => undefined);
    // Two answered, nothing in flight: the rest wait for the bucket to refill.
    await clock.runUntil(() => tenant.log.calls === 2 && scheduler.health().inFlight === 0, 10_000);
    expect(scheduler.health()).toMatchObject({ queued: 3, stalled: false });
    // The wake-up that would send the next request is lost; time goes on and the watchdog must notice.
    clock.dropping = true;
    await clock.runUntil(() => false, 5_000);
    clock.dropping = false;
    expect(clock.pending()).toBe(0); // nothing is left that would wake the queue
    stop();
    clock.jump(60_000);
    expect(scheduler.health()).toMatchObject({ stalled: true });
    const watcher = scheduler.watch((h) => reports.push(h.queued), 5_000);
    await clock.runUntil(() => reports.length > 0, 20_000);
    await clock.runUntil(() => false, 20_000);
    watcher();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toBeGreaterThan(0);
  });
});

describe('RateScheduler against a rate-limited local tenant', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await startTestTenant({ users: 20, rateLimit: { rps: 10, burst: 10 } });
  });
  afterAll(async () => t?.close());

  it('runs 200 reads under --rate-limit 10:10 with zero failures, staying within the limit', async () => {
    const token = await t.token();
    const scheduler = new RateScheduler(t.fetch, { maxConcurrency: 8 });
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        scheduler
          .fetch(`${t.emu.url}/api/v2/users?per_page=1`, { headers: { authorization: `Bearer ${token}` } })
          .then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          }),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    expect(results.filter((s) => s !== 200)).toEqual([]);
    // Within the limit: a 10-token bucket refilling at 10/s allows at most 10 + 10·t requests in t seconds.
    expect(scheduler.stats.sent).toBeLessThanOrEqual(
      10 + Math.ceil(10 * seconds) + scheduler.stats.rateLimited,
    );
    // A few 429s are retried harmlessly when a loaded machine bunches sends on the wire; a scheduler that ignored
    // the bucket meets one for most of its 200 sends. At most 5% here.
    expect(scheduler.stats.rateLimited).toBeLessThanOrEqual(10);
    console.log(
      `200 reads in ${seconds.toFixed(1)} s (ideal 19.0 s), ${scheduler.stats.rateLimited} 429s retried`,
    );
  });
});
