// A Tenant Desk main process for crash tests: `start` plans and starts a bulk job and reports its progress on
// stdout (the test kills it mid-way); `resume` is the next start of the app, resuming the interrupted job.
// The tenant's secret lives in the OS keychain, as for a user, so the second process finds it.
import { createApp } from '../../main/app.js';
import type { JobSummary, TaskSummary } from '../../preload/contract.js';
import { addGivenTenant } from './app-process.js';

const [mode, dataDir] = process.argv.slice(2) as ['start' | 'resume', string];
const app = await createApp({ dataDir, host: 'browser', version: 'crash-test' });
const say = (line: string) => process.stdout.write(`${line}\n`);
app.router.subscribe((event, payload) => {
  if (event === 'task:progress' && (payload as TaskSummary).kind === 'bulk') {
    const job = ((payload as TaskSummary).detail as { job: JobSummary }).job;
    say(`PROGRESS ${job.counts.total - job.counts.remaining} ${job.counts.total} ${job.status}`);
  }
});
const call = async <T>(channel: string, input: unknown): Promise<T> => {
  const r = await app.router.invoke(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.data as T;
};

if (mode === 'start') {
  const profile = await addGivenTenant(app, 'Crash test');
  const plan = await call<{ planId: string; total: number }>('bulk:plan', {
    tenantId: profile.id,
    planId: 'crash-plan-0001',
    source: { kind: 'query', q: '' },
    change: { kind: 'metadata', metadata: 'user_metadata', set: { crash_test: 'applied' } },
  });
  say(`PLANNED ${plan.total}`);
  await call('bulk:start', { planId: plan.planId });
} else {
  const [task] = await call<TaskSummary[]>('tasks:list', {});
  const job = (task!.detail as { job: JobSummary }).job;
  say(`FOUND ${job.id} ${job.status} ${job.counts.total - job.counts.remaining}`);
  await call('tasks:control', { taskId: job.id, action: 'resume' });
  for (;;) {
    const now = ((await call<TaskSummary>('tasks:get', { taskId: job.id })).detail as { job: JobSummary })
      .job;
    if (now.status !== 'running') {
      say(`DONE ${JSON.stringify(now)}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await app.close();
  process.exit(0);
}
