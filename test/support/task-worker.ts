// A Tenant Desk main process that starts one kind of long work and reports it on stdout, for the kill -9 tests of
// the task engine (test/main/tasks-crash.test.ts): `export` exports every user of the tenant as CSV and keeps a
// snapshot; `snapshot-file` opens a users file (the path given) as a snapshot. It says STARTED with the task id, then
// PROGRESS with the phase and the users written; the test kills it with SIGKILL.
import { createApp } from '../../main/app.js';
import type { TaskSummary } from '../../preload/contract.js';
import { addGivenTenant } from './app-process.js';
import { exportProgress, routerCall, uploadThroughRouter } from './router.js';

const [kind, dataDir, file] = process.argv.slice(2) as ['export' | 'snapshot-file', string, string?];
const app = await createApp({ dataDir, host: 'browser', version: 'crash-test' });
const say = (line: string) => process.stdout.write(`${line}\n`);
app.router.subscribe((event, payload) => {
  const status = exportProgress(event, payload);
  if (status) say(`PROGRESS ${status.phase} ${status.written} ${(payload as TaskSummary).status}`);
});
const profile = await addGivenTenant(app, 'Crash test');
if (kind === 'export') {
  await routerCall(app, 'exports:start', {
    tenantId: profile.id,
    exportId: 'crash-export-0001',
    source: { kind: 'tenant' },
    fields: [{ name: 'user_id' }, { name: 'email' }, { name: 'app_metadata' }],
    format: 'csv',
    keepSnapshot: true,
  });
  say('STARTED crash-export-0001');
} else {
  const uploadId = await uploadThroughRouter(app, 'people.ndjson', file!);
  await routerCall(app, 'snapshots:open-file', {
    exportId: 'crash-file-0001',
    uploadId,
    label: 'People from a file',
  });
  say('STARTED crash-file-0001');
}
// Runs until killed.
await new Promise(() => undefined);
