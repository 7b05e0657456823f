// A Tenant Desk main process with every kind of work under way at once, for the kill -9 test: a bulk job, an import,
// an export kept as a snapshot, and the tenant profile saved again and again. It says READY once all of them run, and
// PROGRESS of the bulk job after that; the test kills it with SIGKILL. The tenant's secret is in the OS keychain, as
// for a user, so that the next start finds it.
import { createApp } from '../../main/app.js';
import type { ImportPreview, ImportSummary, JobSummary, TaskSummary } from '../../preload/contract.js';
import { addGivenTenant } from './app-process.js';
import { routerCall, uploadThroughRouter } from './router.js';

const dataDir = process.argv[2]!;
const app = await createApp({ dataDir, host: 'browser', version: 'crash-test', importPollMs: 50 });
const say = (line: string) => process.stdout.write(`${line}\n`);
const call = <T>(channel: string, input: unknown) => routerCall<T>(app, channel, input);
app.router.subscribe((event, payload) => {
  if (event === 'task:progress' && (payload as TaskSummary).kind === 'bulk') {
    const job = ((payload as TaskSummary).detail as { job: JobSummary }).job;
    say(`PROGRESS ${job.counts.total - job.counts.remaining} ${job.counts.total}`);
  }
  if (event === 'task:progress' && (payload as TaskSummary).kind === 'import')
    say(`IMPORTING ${((payload as TaskSummary).detail as { import: ImportSummary }).import.status}`);
});

const profile = await addGivenTenant(app, 'Crash test');
say(`TENANT ${profile.id}`);

// An import of a few parts, sent one after the other while Auth0 (the local tenant) takes them.
const rows = Array.from({ length: 48_000 }, (_, i) => ({
  email: `crash.import.${i}@example.org`,
  given_name: `Crash ${i}`,
}));
const uploadId = await uploadThroughRouter(app, 'crash-import.json', Buffer.from(JSON.stringify(rows)));
const connections = await call<{ id: string; isDatabase: boolean }[]>('connections:list', {
  tenantId: profile.id,
});
const preview = await call<ImportPreview>('imports:prepare', {
  tenantId: profile.id,
  importId: 'imp_00000000000c0a51',
  uploadId,
  fileName: 'crash-import.json',
  connectionId: connections.find((c) => c.isDatabase)!.id,
});
say(`IMPORT ${preview.chunks}`);

// A bulk job over every user (past the search cap: an export job finds them).
const plan = await call<{ planId: string; total: number }>('bulk:plan', {
  tenantId: profile.id,
  planId: 'crash-plan-0002',
  source: { kind: 'query', q: '' },
  change: { kind: 'metadata', metadata: 'user_metadata', set: { crash_recovery: 'applied' } },
});
say(`PLANNED ${plan.total}`);

if (!process.env.SKIP?.includes('import')) await call('imports:start', { importId: 'imp_00000000000c0a51' });
if (!process.env.SKIP?.includes('export'))
  await call('exports:start', {
    tenantId: profile.id,
    exportId: 'crash-export-01',
    source: { kind: 'tenant' },
    format: 'xlsx',
    fields: [{ name: 'user_id' }, { name: 'email' }, { name: 'app_metadata' }],
    keepSnapshot: true,
  });
await call('bulk:start', { planId: plan.planId });
// The profile saved over and over (an atomic write each: a temporary file, renamed).
if (!process.env.SKIP?.includes('save'))
  void (async () => {
    for (let i = 0; ; i++) {
      await call('tenants:update', { id: profile.id, patch: { label: `Crash test ${i}` } });
      await call('prefs:set', { key: 'crash.counter', value: i });
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
say('READY');
