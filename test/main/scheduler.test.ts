// The per-tenant scheduler: spacing under the tenant's limit, retries that honour the reset, and no blind repeats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateScheduler, RETRY_UNSAFE_HEADER } from '../../main/scheduler/rate-scheduler.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

function response(status: number, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify({ statusCode: status }), { status, headers });
}

/** A scripted transport and a virtual clock: deterministic, no real waiting. */
function scripted(statuses: (number | Error | ((now: number) => Response))[]) {
  let now = 1_700_000_000_000;
  const calls: { method: string; at: number }[] = [];
  const sleeps: number[] = [];
  const transport = (async (_input: unknown, init?: RequestInit) => {
    calls.push({ method: init?.method ?? 'GET', at: now });
    const next = statuses.shift();
    if (next === undefined) return response(200);
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next(now);
    return response(next);
  }) as typeof fetch;
  const scheduler = new RateScheduler(transport, {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
  });
  return { scheduler, calls, sleeps, clock: () => now };
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
    const res = await s.scheduler.fetch('https://t.example/api/v2/users', { method: 'GET' });
    expect(res.status).toBe(200);
    expect(s.calls).toHaveLength(2);
    // One token is back after a tenth of the time to a full bucket (3 s / 10), never immediately.
    expect(s.calls[1]!.at - s.calls[0]!.at).toBeGreaterThanOrEqual(250);
    expect(s.scheduler.stats.rateLimited).toBe(1);
  });

  it('retries a 429 even for a POST, because the tenant applied nothing', async () => {
    const s = scripted([429]);
    const res = await s.scheduler.fetch('https://t.example/api/v2/users', { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    expect(s.calls.map((c) => c.method)).toEqual(['POST', 'POST']);
  });

  it('retries 5xx for idempotent requests with growing backoff', async () => {
    const s = scripted([503, 500, 502]);
    const res = await s.scheduler.fetch('https://t.example/api/v2/users/x', { method: 'GET' });
    expect(res.status).toBe(200);
    expect(s.calls).toHaveLength(4);
    expect(s.sleeps[1]!).toBeGreaterThan(s.sleeps[0]!);
    expect(s.sleeps[2]!).toBeGreaterThan(s.sleeps[1]!);
  });

  it('never blindly repeats a write after a 5xx or a network failure', async () => {
    const s = scripted([503]);
    const res = await s.scheduler.fetch('https://t.example/api/v2/users', { method: 'POST', body: '{}' });
    expect(res.status).toBe(503);
    expect(s.calls).toHaveLength(1);
    const n = scripted([new TypeError('fetch failed')]);
    await expect(
      n.scheduler.fetch('https://t.example/api/v2/users/x', { method: 'PATCH', body: '{}' }),
    ).rejects.toThrow('fetch failed');
    expect(n.calls).toHaveLength(1);
  });

  it('repeats a write the caller marked safe to repeat, without forwarding the marker', async () => {
    const seen: (string | null)[] = [];
    const statuses = [503];
    const transport = (async (_i: unknown, init?: RequestInit) => {
      seen.push(new Headers(init?.headers).get(RETRY_UNSAFE_HEADER));
      return response(statuses.shift() ?? 201);
    }) as typeof fetch;
    const scheduler = new RateScheduler(transport, { sleep: async () => undefined });
    const res = await scheduler.fetch('https://t.example/api/v2/users', {
      method: 'POST',
      headers: { [RETRY_UNSAFE_HEADER]: '1' },
    });
    expect(res.status).toBe(201);
    expect(seen).toEqual([null, null]);
  });

  it('gives up after its retry budget and returns the last answer', async () => {
    const s = scripted([503, 503, 503, 503, 503, 503, 503]);
    const res = await s.scheduler.fetch('https://t.example/api/v2/users', { method: 'GET' });
    expect(res.status).toBe(503);
    expect(s.calls).toHaveLength(6);
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
    // The mirrored bucket keeps 429s rare; every one of them was retried (no failures above).
    expect(scheduler.stats.rateLimited).toBeLessThanOrEqual(5);
    console.log(`200 reads in ${seconds.toFixed(1)} s, ${scheduler.stats.rateLimited} 429s retried`);
  });
});
