// Offline snapshots: listed, searched, opened from a file, exported and compared.
import { z } from 'zod';
import { idSchema, searchPageFields, snapshotIdSchema, uploadIdSchema, userIdSchema } from './shared.js';
import type { DownloadRef } from './app.js';
import type { Auth0User, UserSearchResult } from './users.js';
import {
  exportFieldsSchema,
  exportFormats,
  type CompareItem,
  type CompareSummary,
  type ExportStatus,
  type SnapshotSummary,
} from './exports.js';

export const snapshotsChannels = {
  'snapshots:list': { input: z.object({}).strict(), output: {} as SnapshotSummary[] },
  /** Searches a snapshot offline with Auth0's syntax and the tenant's rules, without the 1,000-result cap. */
  'snapshots:search': {
    input: z
      .object({
        snapshotId: snapshotIdSchema,
        ...searchPageFields,
      })
      .strict(),
    output: {} as UserSearchResult & { ms: number },
  },
  'snapshots:user': {
    input: z.object({ snapshotId: snapshotIdSchema, userId: userIdSchema }).strict(),
    output: {} as Auth0User,
  },
  'snapshots:delete': {
    input: z.object({ snapshotId: snapshotIdSchema }).strict(),
    output: {} as { deleted: true },
  },
  /** A file exported elsewhere (Auth0's NDJSON or CSV export, gzipped or not; a JSON array) as a snapshot. */
  'snapshots:open-file': {
    input: z
      .object({
        exportId: z.string().regex(/^[\w-]{8,64}$/),
        uploadId: uploadIdSchema,
        label: z.string().trim().min(1, 'Name the snapshot').max(80),
        tenantId: idSchema.optional(),
      })
      .strict(),
    output: {} as ExportStatus,
  },
  /** The users of a snapshot (every one, or a query's matches) as a file. */
  'snapshots:export': {
    input: z
      .object({
        snapshotId: snapshotIdSchema,
        exportId: z.string().regex(/^[\w-]{8,64}$/),
        q: z.string().max(4000).default(''),
        fields: exportFieldsSchema,
        format: z.enum(exportFormats),
        bom: z.boolean().default(false),
      })
      .strict(),
    output: {} as ExportStatus,
  },
  'snapshots:compare': {
    input: z.object({ before: snapshotIdSchema, after: snapshotIdSchema }).strict(),
    output: {} as CompareSummary,
  },
  'snapshots:compare-items': {
    input: z
      .object({
        compareId: z.string().regex(/^cmp_[0-9a-f]{16}$/),
        kind: z.enum(['added', 'removed', 'changed']),
        field: z.string().max(300).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    output: {} as { items: CompareItem[]; total: number },
  },
  'snapshots:compare-export': {
    input: z.object({ compareId: z.string().regex(/^cmp_[0-9a-f]{16}$/) }).strict(),
    output: {} as DownloadRef,
  },
} as const;
