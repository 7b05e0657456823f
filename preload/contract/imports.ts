// Imports of users from a file into a database connection.
import { z } from 'zod';
import type { Capability } from './tenants.js';
import { IMPORT_TARGET_PATTERN, importFormats, type ImportFormat } from './rules.js';
import {
  guardSchema,
  idSchema,
  importIdSchema,
  uploadIdSchema,
  type WriteRisk,
  byTenantId,
} from './shared.js';
import type { DownloadRef } from './app.js';

export const importMappingSchema = z.record(
  z.string().max(200),
  z
    .string()
    .regex(
      IMPORT_TARGET_PATTERN,
      'A column goes to an import field or to user_metadata.<key> / app_metadata.<key>',
    ),
);

export interface ImportRowError {
  /** 1-based: the line of a CSV or NDJSON file (the header is line 1 of a CSV), the element of a JSON array. */
  row: number;
  field?: string;
  message: string;
}

export interface ImportPreview {
  importId: string;
  tenantId: string;
  fileName: string;
  bytes: number;
  format: ImportFormat;
  connection: { id: string; name: string };
  /** The file is Auth0's own users export, converted to its import schema. */
  converted: boolean;
  notes: string[];
  /** CSV only: the header, the mapping in use (chosen or suggested) and a few rows. */
  columns?: string[];
  mapping?: Record<string, string>;
  sample?: string[][];
  rows: number;
  valid: number;
  /** The first rows with a problem (errorCount says how many in all); an import starts only with none. */
  errors: ImportRowError[];
  errorCount: number;
  chunks: number;
  /** Users that already exist in the connection decide nothing here: Auth0 answers for them (upsert or not). */
  ready: boolean;
}

export type ImportChunkState =
  'waiting' | 'sending' | 'pending' | 'processing' | 'completed' | 'failed' | 'unknown';

export interface ImportCounts {
  inserted: number;
  updated: number;
  failed: number;
  total: number;
}

export interface ImportChunk {
  index: number;
  firstRow: number;
  lastRow: number;
  rows: number;
  bytes: number;
  state: ImportChunkState;
  /** Auth0's job id once sent. */
  jobId?: string;
  summary?: ImportCounts;
  error?: string;
}

export type ImportStatus = 'running' | 'paused' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

export interface ImportSummary {
  importId: string;
  tenantId: string;
  tenantDomain: string;
  fileName: string;
  format: ImportFormat;
  connectionId: string;
  connectionName: string;
  upsert: boolean;
  sendCompletionEmail: boolean;
  createdAt: string;
  finishedAt?: string;
  status: ImportStatus;
  rows: number;
  chunks: ImportChunk[];
  counts: ImportCounts;
  /** Why it stopped, in words. */
  message?: string;
}

/** A row Auth0 refused, with its error code (DUPLICATED_USER, INVALID_FORMAT…) and the row of the file. */
export interface ImportFailure {
  row: number | null;
  chunk: number;
  email?: string;
  code: string;
  message: string;
  path?: string;
}

export const importsChannels = {
  // ---- user imports (issue #12) ----
  /** Reads and checks an uploaded file against Auth0's import schema and splits it; nothing is sent. */
  'imports:prepare': {
    input: z
      .object({
        tenantId: idSchema,
        importId: importIdSchema,
        uploadId: uploadIdSchema,
        fileName: z.string().trim().min(1).max(260),
        connectionId: z.string().min(1).max(64),
        format: z.enum(importFormats).optional(),
        mapping: importMappingSchema.optional(),
      })
      .strict(),
    output: {} as ImportPreview,
    tenant: byTenantId,
  },
  /** Sends a prepared import, chunk by chunk, two Auth0 jobs at a time: a task (progress: task:progress). */
  'imports:start': {
    input: z
      .object({
        importId: importIdSchema,
        upsert: z.boolean().default(false),
        sendCompletionEmail: z.boolean().default(false),
        guard: guardSchema,
      })
      .strict(),
    output: {} as ImportSummary,
    needs: 'jobs:import' as Capability,
    risk: (): WriteRisk => 'bulk',
  },
  'imports:failures': {
    input: z
      .object({
        importId: importIdSchema,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: {} as { items: ImportFailure[]; total: number },
  },
  /** An example file for the connection, CSV (with the mapping's column names) or Auth0's JSON. */
  'imports:template': {
    input: z
      .object({
        tenantId: idSchema,
        connectionId: z.string().min(1).max(64),
        format: z.enum(['csv', 'json']),
      })
      .strict(),
    output: {} as DownloadRef,
    tenant: byTenantId,
  },
} as const;
