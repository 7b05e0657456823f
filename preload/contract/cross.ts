// Work across tenants: one search over several, and two tenants compared.
import { z } from 'zod';
import { fieldPathSchema } from './rules.js';
import { idSchema, searchPageFields, type ErrorEnvelope } from './shared.js';
import type { Auth0User } from './users.js';
import type { CompareSummary } from './exports.js';

export type CrossSearchResult =
  | { tenantId: string; ok: true; users: Auth0User[]; total: number; capped: boolean; ms: number }
  | { tenantId: string; ok: false; error: ErrorEnvelope; ms: number };

export const crossChannels = {
  // ---- across tenants (issue #12) ----
  /** One query on several tenants at once, each at its own rate limit; a tenant that fails does not hide the rest. */
  'cross:search': {
    input: z
      .object({
        tenantIds: z
          .array(idSchema)
          .min(1, 'Choose at least one tenant.')
          .max(12)
          .refine((ids) => new Set(ids).size === ids.length, 'A tenant is chosen twice.'),
        q: z.string().max(4000).default(''),
        perTenant: z.number().int().min(1).max(100).default(50),
        sort: searchPageFields.sort,
      })
      .strict(),
    output: {} as { results: CrossSearchResult[] },
  },
  /**
   * Two tenants' users matched by a field (email by default): only in A, only in B, in both with chosen fields
   * different. Takes a fresh snapshot of each (progress: export:progress for `${runId}-a` and `${runId}-b`);
   * the comparison is paged and exported with snapshots:compare-items / snapshots:compare-export.
   */
  'cross:compare': {
    input: z
      .object({
        runId: z.string().regex(/^[\w-]{8,48}$/),
        tenantA: idSchema,
        tenantB: idSchema,
        key: fieldPathSchema(
          'Match by a user field (email), or an app_metadata / user_metadata path',
        ).default('email'),
        fields: z
          .array(fieldPathSchema('Compare user fields, identities[0].connection or metadata paths'))
          .min(1, 'Choose at least one field to compare.')
          .max(30),
      })
      .strict()
      .refine((i) => i.tenantA !== i.tenantB, 'Choose two different tenants.'),
    output: {} as CompareSummary,
  },
} as const;
