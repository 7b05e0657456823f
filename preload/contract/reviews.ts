// The access review report (#24): for a snapshot (and optionally the one before it), who holds each role — or each
// role marked privileged — with their last login, verification and blocking; flags for inactive, never-used,
// unverified and blocked accounts; what changed since the previous snapshot. Written offline from the snapshots as
// XLSX (one sheet per section) or as a printable HTML page, as a task with progress and cancel.
import { z } from 'zod';
import { snapshotIdSchema } from './shared.js';
import type { ExportStatus } from './exports.js';

export const reviewFormats = ['xlsx', 'html'] as const;
export type ReviewFormat = (typeof reviewFormats)[number];

/** Accounts not seen for this many days (before the snapshot was taken) are flagged inactive unless told. */
export const DEFAULT_INACTIVE_DAYS = 90;
/** Rows per table, and per section, on the printable page (every row is in the XLSX). */
export const REVIEW_HTML_ROWS = 500;
export const REVIEW_HTML_SECTION_ROWS = 2000;

const roleNameSchema = z
  .string()
  .trim()
  .min(1, 'A role name is empty')
  .max(200, 'A role name is longer than 200 characters');

const reviewOptionsFields = {
  snapshotId: snapshotIdSchema,
  /** The snapshot before it: the report adds what changed since. */
  previousId: snapshotIdSchema.optional(),
  /**
   * The privileged roles to review; none: every role anyone holds in the snapshot. Role holders and flags are
   * limited to the accounts holding one of them; changes of other roles are left out.
   */
  roles: z
    .array(roleNameSchema)
    .max(200, 'Review at most 200 roles at once')
    .default([])
    .transform((r) => [...new Set(r)]),
  inactiveDays: z
    .number()
    .int('Inactive days is a whole number')
    .min(1, 'Inactive days is at least 1')
    .max(3650, 'Inactive days is at most 3650 (ten years)')
    .default(DEFAULT_INACTIVE_DAYS),
  format: z.enum(reviewFormats),
};
const notItself: [
  (o: { snapshotId: string; previousId?: string | undefined }) => boolean,
  { message: string; path: string[] },
] = [
  (o) => o.previousId !== o.snapshotId,
  { message: 'The previous snapshot must be another snapshot', path: ['previousId'] },
];

/** What a report is asked for (the command line and the window alike). */
export const reviewOptionsSchema = z
  .object(reviewOptionsFields)
  .strict()
  .refine(...notItself);
export type ReviewOptions = z.output<typeof reviewOptionsSchema>;

export interface ReviewSnapshotRef {
  id: string;
  tenantLabel: string;
  tenantDomain: string | null;
  createdAt: string;
  count: number;
  /** Whether it was taken with each user's roles / organizations (its users carry them). */
  withRoles: boolean;
  withOrganizations: boolean;
}

/** What the report found, as its Summary section says it (the dialog and the command line show it too). */
export interface AccessReviewSummary {
  snapshot: ReviewSnapshotRef;
  previous: ReviewSnapshotRef | null;
  /** The roles reviewed and how many hold each (chosen ones nobody holds with 0). */
  roles: { name: string; holders: number }[];
  /** Roles were chosen (privileged) rather than every role held. */
  privilegedOnly: boolean;
  inactiveDays: number;
  /** Last logins before this are inactive. */
  inactiveBefore: string;
  /** Accounts holding at least one reviewed role. */
  holders: number;
  /** Whom the flags cover: holders of reviewed roles, or every user (a snapshot without roles). */
  flagScope: 'holders' | 'everyone';
  flags: { accounts: number; inactive: number; neverLoggedIn: number; unverified: number; blocked: number };
  /** null without a previous snapshot. */
  changes: {
    gainedRole: number;
    lostRole: number;
    joinedOrganization: number;
    leftOrganization: number;
    organizationRoles: number;
    added: number;
    removed: number;
    /** Why a kind of change can't be told (a snapshot taken without roles), in words. */
    notes: string[];
  } | null;
  /** Said first on the report (a snapshot taken without roles…). */
  warnings: string[];
}

export const reviewsChannels = {
  /**
   * Starts an access review report of a snapshot (a task of kind access-review: progress in task:progress, cancel
   * with tasks:control); the file comes with its last status. Reads only snapshots: no tenant is asked anything.
   */
  'reviews:start': {
    input: z
      .object({ reviewId: z.string().regex(/^[\w-]{8,64}$/, 'Not a task id'), ...reviewOptionsFields })
      .strict()
      .refine(...notItself),
    output: {} as ExportStatus,
  },
} as const;
