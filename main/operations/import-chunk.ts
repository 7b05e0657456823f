// One part of a user import sent as an Auth0 import job. Never repeated blindly (a second send would import its rows
// twice), and nothing to read back: a part sent just before a crash is marked unknown by its import.
import { channels, type ImportChunk } from '../../preload/contract.js';
import { operation } from './operation.js';

export interface ChunkWrite {
  tenantId: string;
  importId: string;
  fileName: string;
  chunk: ImportChunk;
  body: Buffer;
  connectionId: string;
  upsert: boolean;
  sendCompletionEmail: boolean;
}

export const sendChunk = operation<ChunkWrite, undefined, { jobId: string }>({
  name: 'import.chunk',
  // The import's own input: its guard was answered once for the whole import, when it started.
  input: channels['imports:start'].input,
  risk: 'imports:start',
  needs: 'jobs:import',
  action: 'users.import-chunk',
  target: (i) =>
    `${i.fileName} part ${i.chunk.index + 1}: rows ${i.chunk.firstRow}-${i.chunk.lastRow} (${i.chunk.rows} users)`,
  mayRepeat: false,
  async apply({ management }, i) {
    const job = await management.jobs.usersImports.create({
      users: new Blob([new Uint8Array(i.body)], { type: 'application/json' }),
      connection_id: i.connectionId,
      upsert: i.upsert,
      send_completion_email: i.sendCompletionEmail,
      external_id: `${i.importId}-${i.chunk.index}`,
    });
    return { jobId: String(job.id) };
  },
  audit: { after: (r, i) => ({ jobId: r.jobId, rows: i.chunk.rows, upsert: i.upsert }) },
  readBack: {
    cannot:
      'whether Auth0 took this part of the import can\u2019t be read back: the import marks it unknown and never sends it again; check its rows on the tenant',
  },
});
