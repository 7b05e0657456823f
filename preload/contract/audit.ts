// The audit log: entries, their outcomes, and reading and exporting it.
import { z } from 'zod';
import { idSchema, type Reason } from './shared.js';
import type { DownloadRef } from './app.js';

/**
 * pending: written before a write is sent (with its before-state), so a crash leaves a trace; success / failure
 * follow under the same id. refused: the production guard stopped it. interrupted: Tenant Desk stopped while the write
 * was being sent; at the next start it is read back from the tenant and its resolution recorded.
 */
export type AuditOutcome = 'pending' | 'success' | 'failure' | 'refused' | 'interrupted';

/**
 * An interrupted write as read back at the next start: the tenant shows what it asked for (applied), what was there
 * before (not-applied), or it can't be told (unknown: an email or a link leaves no trace; the tenant could not be
 * reached; a job or an import offered for resume).
 */
export type AuditResolution = 'applied' | 'not-applied' | 'unknown';

export interface AuditEntry {
  id: string;
  time: string;
  osUser: string;
  tenantId: string;
  tenantDomain: string;
  action: string;
  target: string | null;
  before?: unknown;
  after?: unknown;
  outcome: AuditOutcome;
  error?: string;
  /** The bulk job this write belongs to. */
  jobId?: string;
  /** The incident response ("sign out everywhere") this write belongs to; its own entry has action user.incident. */
  incidentId?: string;
  /** For an interrupted write: what reading it back at the next start found (its words are in `error`). */
  resolution?: AuditResolution;
  /** The write's command, and what it meant to do: recorded while pending, so that it can be read back. */
  op?: string;
  intent?: unknown;
  /** The process that made the write (a pending write of a process still running is its own, not interrupted). */
  pid?: number;
  /** Where the write was asked from, when not the window: the command line (`tenant-desk`). */
  via?: 'command-line';
  /** Why it was made: the ticket and note given with it (or with the bulk job or import it belongs to). */
  reason?: Reason;
}

export const auditChannels = {
  'audit:list': {
    input: z
      .object({
        tenantId: idSchema.optional(),
        action: z.string().max(64).optional(),
        target: z.string().max(256).optional(),
        /** Only entries at or after this time: a date (2026-12-01) or a date and time (ISO 8601). */
        since: z
          .string()
          .max(40)
          .refine((v) => !Number.isNaN(Date.parse(v)), 'A date such as 2026-12-01 or 2026-12-01T08:00:00Z')
          .optional(),
        /** Only the entries of one bulk job (the job's own and each user's). */
        jobId: z.string().max(64).optional(),
        /** Only the entries of one incident response. */
        incidentId: z.string().max(64).optional(),
        /** Entries whose reason (ticket reference or note) contains this. */
        reason: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    output: {} as AuditEntry[],
  },
  /** Written to a file in main, streamed from the audit log; hand the result to downloads:save. */
  'audit:export-csv': {
    input: z
      .object({
        tenantId: idSchema.optional(),
        action: z.string().max(64).optional(),
        target: z.string().max(256).optional(),
        /** Only entries at or after this time: a date (2026-12-01) or a date and time (ISO 8601). */
        since: z
          .string()
          .max(40)
          .refine((v) => !Number.isNaN(Date.parse(v)), 'A date such as 2026-12-01 or 2026-12-01T08:00:00Z')
          .optional(),
        /** Entries whose reason (ticket reference or note) contains this. */
        reason: z.string().max(200).optional(),
      })
      .strict(),
    output: {} as DownloadRef,
  },
} as const;
