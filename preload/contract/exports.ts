// Exports of users to CSV, NDJSON and XLSX.
import { z } from 'zod';
import { fieldPathSchema } from './rules.js';
import { idSchema, userIdSchema, type ErrorEnvelope, byTenantId } from './shared.js';
import type { DownloadRef } from './app.js';

export const exportFormats = ['csv', 'ndjson', 'xlsx', 'parquet'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Fields the picker offers first (Auth0's export field names); any app_metadata / user_metadata path can be added. */
export const EXPORT_USUAL_FIELDS = [
  'user_id',
  'email',
  'email_verified',
  'username',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'picture',
  'created_at',
  'updated_at',
  'last_login',
  'last_ip',
  'logins_count',
  'blocked',
  'identities[0].connection',
  'identities[0].provider',
  'identities[0].isSocial',
  'app_metadata',
  'user_metadata',
] as const;
export const DEFAULT_EXPORT_FIELDS: readonly string[] = [
  'user_id',
  'email',
  'email_verified',
  'name',
  'created_at',
  'last_login',
  'logins_count',
  'blocked',
  'identities[0].connection',
];
export const exportFieldSchema = z
  .object({
    name: fieldPathSchema(
      'A field is a user field (email), identities[0].connection, or app_metadata / user_metadata with an optional .path',
    ),
    /** The column's name in the file (Auth0's export_as); the field's own name when absent. */
    exportAs: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type ExportField = z.infer<typeof exportFieldSchema>;

export const exportFieldsSchema = z
  .array(exportFieldSchema)
  .min(1, 'Choose at least one field.')
  .max(100)
  .superRefine((fields, ctx) => {
    const seen = new Set<string>();
    for (const f of fields) {
      const column = f.exportAs ?? f.name;
      if (seen.has(column))
        ctx.addIssue({
          code: 'custom',
          message: `Two columns would be named "${column}": rename one (export as).`,
        });
      seen.add(column);
    }
  });

/** What to export: the whole tenant, one connection, every match of a query (any size), or picked users. */
export const exportSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tenant') }).strict(),
  z
    .object({
      kind: z.literal('connection'),
      connectionId: z.string().regex(/^con_[A-Za-z0-9]{16}$/, 'Not a connection id'),
      name: z.string().max(128),
    })
    .strict(),
  z.object({ kind: z.literal('query'), q: z.string().max(4000) }).strict(),
  z.object({ kind: z.literal('users'), userIds: z.array(userIdSchema).min(1).max(10_000) }).strict(),
]);
export type ExportSource = z.infer<typeof exportSourceSchema>;

export type ExportPhase =
  | 'starting'
  /** Reading every organization's members (an export with each user's organizations). */
  | 'organizations'
  /** Reading every role's members (an export with each user's roles). */
  | 'roles'
  | 'pending'
  | 'processing'
  | 'downloading'
  | 'searching'
  | 'reading'
  | 'writing'
  | 'completed'
  | 'failed'
  | 'cancelled';

/** An export (or a users file opened as a snapshot, or an export of a snapshot) as it goes; sent with every change of phase. */
export interface ExportStatus {
  exportId: string;
  kind: 'export' | 'open-file' | 'snapshot-export' | 'access-review';
  tenantId: string | null;
  /** What is exported, in words ("every user of Acme as CSV"). */
  label: string;
  phase: ExportPhase;
  /** How the users are read: Auth0's export job, its search (up to 1,000), one by one, a snapshot, a file. */
  method: 'export-job' | 'search' | 'lookup' | 'snapshot' | 'file' | null;
  /** Auth0's own progress while its export job runs. */
  percentDone: number | null;
  timeLeftSeconds: number | null;
  /** Users read so far, and rows written (fewer when a query filters an export). */
  users: number;
  written: number;
  /** The phase in words. */
  message: string;
  /** Choices made along the way, in words ("asked Auth0 for JSON: 34 fields are more than its CSV takes"). */
  notes: string[];
  file?: DownloadRef;
  snapshot?: SnapshotSummary;
  error?: ErrorEnvelope;
}

/** A snapshot: a tenant's users at a moment, searchable and comparable offline. */
export interface SnapshotSummary {
  id: string;
  /** The tenant it was taken from (null for a file exported elsewhere, when unknown). */
  tenantId: string | null;
  tenantLabel: string;
  tenantDomain: string | null;
  environment: string | null;
  createdAt: string;
  /** What was exported, in words ("every user", "connection X", "users matching q"), and the query if any. */
  sourceLabel: string;
  query: string | null;
  /** The fields the export asked for (a snapshot always keeps whole users, searchable by any field). */
  fields: string[];
  count: number;
  origin: 'export' | 'file';
  fileName?: string;
  bytes: number;
}

export type CompareKind = 'added' | 'removed' | 'changed';

export interface CompareSummary {
  compareId: string;
  before: SnapshotSummary;
  after: SnapshotSummary;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  /** Per field, how many users it changed for, most first. */
  fields: { field: string; count: number }[];
  /** Both snapshots are of the same tenant (domain). */
  sameTenant: boolean;
  /** What users are matched by: user_id within a tenant; email (or a chosen field) across tenants. */
  key: string;
  /** The fields compared, or null for every field. */
  compared: string[] | null;
  /** Users without a value for the key (not compared), and users sharing their key with another of their side. */
  withoutKey: number;
  duplicateKeys: number;
}

export interface CompareItem {
  kind: CompareKind;
  userId: string;
  /** Matched by a field other than user_id: its value, and the user id on the other side (changed users). */
  key?: string;
  otherUserId?: string;
  email?: string;
  /** The fields that differ (changed users). */
  fields: string[];
  /** Those fields' values before and after (a whole user for added / removed). */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

export const exportsChannels = {
  /** Starts an export (progress: export:progress); the file, and the snapshot if kept, come with its last event. */
  'exports:start': {
    input: z
      .object({
        tenantId: idSchema,
        exportId: z.string().regex(/^[\w-]{8,64}$/),
        source: exportSourceSchema,
        fields: exportFieldsSchema,
        format: z.enum(exportFormats),
        /** A byte-order mark, so Excel reads UTF-8 CSV right. */
        bom: z.boolean().default(false),
        keepSnapshot: z.boolean().default(false),
        /**
         * Each user's organizations and organization roles (read from every organization's members: Auth0's users
         * export doesn't carry them), as `organizations: { <name>: { roles: [...] } }` — a column in a CSV or XLSX,
         * a key in NDJSON and in the snapshot, so a compare says who joined or left and gained or lost a role.
         */
        includeOrganizations: z.boolean().default(false),
        /**
         * Each user's roles (read from every role's members: Auth0's users export has none), as `roles: { <name>:
         * true }` — a column in a CSV or XLSX, a key in NDJSON and in the snapshot, so a compare says who gained or
         * lost a role.
         */
        includeRoles: z.boolean().default(false),
      })
      .strict(),
    output: {} as ExportStatus,
    tenant: byTenantId,
  },
} as const;
