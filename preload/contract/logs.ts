// A tenant's log events: searched, read by checkpoint, one by one.
import { z } from 'zod';
import { idSchema, byTenantId } from './shared.js';
import type { LogEventSummary } from './users.js';

export const logsChannels = {
  // ---- tenant logs (issue #11) ----
  /** Auth0's log search: newest first, within its first 1,000 results. */
  'logs:search': {
    input: z
      .object({
        tenantId: idSchema,
        q: z.string().max(4000).default(''),
        page: z.number().int().min(0).max(99).default(0),
        perPage: z.number().int().min(10).max(100).default(50),
      })
      .strict(),
    output: {} as { logs: LogEventSummary[]; total: number; capped: boolean },
    tenant: byTenantId,
  },
  /**
   * Events after a checkpoint (a log id), oldest first, with no 1,000 limit; Auth0 ignores a query there, so `q` is
   * applied by main to what was read. Without `from`: the newest `take`. The live tail calls this from the newest
   * event seen.
   */
  'logs:checkpoint': {
    input: z
      .object({
        tenantId: idSchema,
        from: z
          .string()
          .regex(/^[\w-]{1,128}$/)
          .optional(),
        take: z.number().int().min(1).max(100).default(100),
        q: z.string().max(4000).default(''),
      })
      .strict(),
    output: {} as { logs: LogEventSummary[]; next: string | null; read: number },
    tenant: byTenantId,
  },
  /** One log event whole (the detail drawer's raw event). */
  'logs:get': {
    input: z
      .object({
        tenantId: idSchema,
        logId: z.string().regex(/^[\w-]{1,128}$/),
      })
      .strict(),
    output: {} as Record<string, unknown>,
    tenant: byTenantId,
  },
} as const;
