// Insights: charts of a tenant's users — over an offline snapshot (its own store, no tenant needed) or the live tenant
// (Auth0's search totals). Every bar is an Auth0-syntax query and its count is that query's total, so a bar opens
// exactly the users behind it.
import { z } from 'zod';
import { byTenantId, idSchema, snapshotIdSchema } from './shared.js';

export const insightChartIds = [
  'connections',
  'verified',
  'blocked',
  'last-login',
  'signups',
  'logins',
  'roles',
] as const;
export type InsightChartId = (typeof insightChartIds)[number];

export interface InsightBar {
  label: string;
  /** The users behind the bar, as a query of the users table (null: a live role, whose members the Roles screen lists). */
  q: string | null;
  count: number;
  /** A live tenant's role: its members are opened on the Roles screen (Auth0's search has no roles field). */
  roleId?: string;
}

export interface InsightChart {
  id: InsightChartId;
  title: string;
  /** Bars for categories and ranges; a pie for parts of a whole. */
  kind: 'bar' | 'pie';
  bars: InsightBar[];
  /** What the reader should know (only the most held categories shown, roles missing from a snapshot…), or null. */
  note: string | null;
  /** The date ages and months are counted back from (the snapshot's, or now for the live tenant). */
  asOf: string;
  /** Requests made to the tenant for this chart (0 for a snapshot). */
  requests: number;
  ms: number;
}

const chartSchema = z.enum(insightChartIds);

export const insightsChannels = {
  /** One chart over a snapshot: counted by its store in one call of the offline worker (no tenant needed). */
  'insights:snapshot-chart': {
    input: z.object({ snapshotId: snapshotIdSchema, chart: chartSchema }).strict(),
    output: {} as InsightChart,
  },
  /** One chart over the live tenant: each bar one Auth0 search with its total, at the tenant's rate. */
  'insights:live-chart': {
    input: z.object({ tenantId: idSchema, chart: chartSchema }).strict(),
    tenant: byTenantId,
    output: {} as InsightChart,
  },
} as const;
