// The Auth0 SDK leaves a listener on every abortSignal it is given; a job's signal, given to thousands of calls,
// would gather them all. scopedSignal gives each call its own signal, still cancelled by the job's.
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopedSignal } from '../../main/auth0/scoped-signal.js';
import { startTestTenant, type TestTenant } from '../support/tenant.js';

let t: TestTenant;
beforeAll(async () => {
  t = await startTestTenant({ users: 5 });
});
afterAll(async () => t?.close());

describe('a long-lived signal given to many SDK calls', () => {
  it('gathers one listener per call when passed as is, none through scopedSignal', async () => {
    const management = t.client();
    const [user] = await management.users.list({ per_page: 1 }).then((r) => r.data);
    const direct = new AbortController();
    for (let i = 0; i < 12; i++)
      await management.users.get(user!.user_id!, {}, { abortSignal: direct.signal });
    expect(getEventListeners(direct.signal, 'abort')).toHaveLength(12);

    const job = new AbortController();
    for (let i = 0; i < 12; i++)
      await scopedSignal(job.signal, (abortSignal) =>
        management.users.get(user!.user_id!, {}, { abortSignal }),
      );
    expect(getEventListeners(job.signal, 'abort')).toHaveLength(0);
  });

  it('still cancels the call in flight when the long-lived signal aborts', async () => {
    const management = t.client();
    const job = new AbortController();
    const pending = scopedSignal(job.signal, (abortSignal) =>
      management.users.list({ per_page: 1 }, { abortSignal }),
    );
    job.abort(new Error('cancelled by the user'));
    await expect(pending).rejects.toThrow();
    expect(getEventListeners(job.signal, 'abort')).toHaveLength(0);
    const already = scopedSignal(job.signal, async (abortSignal) => abortSignal.aborted);
    await expect(already).resolves.toBe(true);
  });
});
