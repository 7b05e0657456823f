// The offline worker's protocol, declared once like the bridge's contract: each method's arguments as a zod schema
// (the worker checks every request against it before running anything), its result and its progress as types. Main
// calls the worker only through `OfflineEngine.call`, typed by this table; the worker's method table must match it.
import { z } from 'zod';
import { exportFieldSchema, exportFormats, importFormats } from '../../preload/contract.js';
import type { AccessReviewSummary, Auth0User, CompareItem } from '../../preload/contract.js';
import { reviewFormats } from '../../preload/contract.js';
import type { ReviewProgress } from '../reviews/access-review.js';
import type { PreparedImport } from '../imports/import-file.js';
import type { BuildReply, BuildRequest, SnapshotMeta } from '../snapshots/snapshot-file.js';
import type { CompareCounts } from './compare.js';
import type { SinkResult, SinkSpec } from './sink.js';

const path = z.string().min(1).max(4096);
const snapshotMeta = z.object({ id: z.string().regex(/^snap_[0-9a-f]{16}$/) }).passthrough();
const id = z.string().min(1).max(128);

/** What a sink writes: a file, a snapshot, or both, from export lines or users, optionally filtered by a query. */
export const sinkSpecSchema = z
  .object({
    input: z.enum(['export-line', 'user']),
    filter: z.string().max(4000).optional(),
    file: z
      .object({
        path,
        format: z.enum(exportFormats),
        fields: z.array(exportFieldSchema).max(500),
        bom: z.boolean(),
      })
      .strict()
      .optional(),
    snapshot: z
      .object({
        path,
        // The snapshot's description, written into it as given (built by main from a tenant profile or a file).
        meta: z.custom<Omit<SnapshotMeta, 'count'>>((v) => snapshotMeta.safeParse(v).success, {
          message: 'a snapshot description with its id',
        }),
      })
      .strict()
      .optional(),
  })
  .strict() satisfies z.ZodType<SinkSpec>;

/** A method: its result R and progress P as types, then its arguments' schema (whose types are inferred). */
const method =
  <R, P = never>() =>
  <A extends z.ZodType>(args: A) => ({
    args,
    result: undefined as unknown as R,
    progress: undefined as unknown as P,
  });

export const workerMethods = {
  'sink.open': method<true>()(z.object({ id, spec: sinkSpecSchema }).strict()),
  'sink.write': method<{ read: number; written: number }>()(
    z.object({ id, texts: z.array(z.string()) }).strict(),
  ),
  /** Export lines as the download's bytes (a piece of UTF-8 text, cut into lines here): the window's process then
   * never holds them as strings. One sink is fed either texts or bytes. */
  'sink.write-bytes': method<{ read: number; written: number }>()(
    z
      .object({
        id,
        bytes: z
          .custom<Uint8Array>((b) => b instanceof Uint8Array, 'bytes')
          .refine((b) => b.byteLength <= 4 << 20, 'at most 4 MB at a time'),
      })
      .strict(),
  ),
  'sink.finish': method<SinkResult>()(z.object({ id }).strict()),
  'sink.abort': method<true>()(z.object({ id }).strict()),
  'snapshot.open-file': method<SinkResult, { read: number; bytesRead: number; bytes: number }>()(
    z.object({ id, path, spec: sinkSpecSchema }).strict(),
  ),
  'snapshot.meta': method<SnapshotMeta>()(z.object({ path }).strict()),
  'snapshot.query': method<{ total: number; users: Auth0User[]; ms: number }>()(
    z
      .object({
        path,
        q: z.string().max(4000),
        sort: z.string().max(300).optional(),
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(1000),
      })
      .strict(),
  ),
  /** Insights: how many users match each query (its total), and the most held keys of some fields, in one call. */
  'snapshot.counts': method<{
    totals: number[];
    facets: Record<string, { key: string; count: number }[]>;
    ms: number;
  }>()(
    z
      .object({
        path,
        queries: z.array(z.string().max(4000)).max(500),
        facets: z
          .array(
            z
              .object({ field: z.string().min(1).max(300), limit: z.number().int().min(1).max(1000) })
              .strict(),
          )
          .max(20)
          .default([]),
      })
      .strict(),
  ),
  'snapshot.user': method<Auth0User>()(z.object({ path, userId: z.string().min(1).max(512) }).strict()),
  'snapshot.close': method<true>()(z.object({ path }).strict()),
  'snapshot.convert': method<SnapshotMeta>()(z.object({ from: path, to: path }).strict()),
  'snapshot.export': method<SinkResult, { read: number }>()(
    z.object({ id, path, q: z.string().max(4000), spec: sinkSpecSchema }).strict(),
  ),
  compare: method<CompareCounts, { done: number; total: number }>()(
    z
      .object({
        before: path,
        after: path,
        out: path,
        options: z
          .object({
            key: z.string().max(300).optional(),
            fields: z.array(z.string().max(300)).nullable().optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
  ),
  'compare.items': method<{ items: CompareItem[]; total: number }>()(
    z
      .object({
        path,
        kind: z.enum(['added', 'removed', 'changed']),
        field: z.string().max(300).optional(),
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(500),
      })
      .strict(),
  ),
  'compare.csv': method<number>()(
    z
      .object({
        path,
        csvPath: path,
        names: z.object({ key: z.string(), before: z.string(), after: z.string() }).strict().optional(),
      })
      .strict(),
  ),
  /** An access review report of a snapshot (and the one before it) written to `out`; `compareOut` is scratch. */
  review: method<AccessReviewSummary, ReviewProgress>()(
    z
      .object({
        id,
        path,
        previousPath: path.optional(),
        out: path,
        compareOut: path,
        format: z.enum(reviewFormats),
        roles: z.array(z.string().min(1).max(200)).max(200),
        inactiveDays: z.number().int().min(1).max(3650),
      })
      .strict(),
  ),
  'review.abort': method<true>()(z.object({ id }).strict()),
  'import.prepare': method<PreparedImport>()(
    z
      .object({
        path,
        fileName: z.string().min(1).max(260),
        dir: path,
        format: z.enum(importFormats).optional(),
        mapping: z.record(z.string().max(300), z.string().max(300)).optional(),
      })
      .strict(),
  ),
};

export type WorkerMethod = keyof typeof workerMethods;
export type WorkerArgs<M extends WorkerMethod> = z.input<(typeof workerMethods)[M]['args']>;
export type WorkerResult<M extends WorkerMethod> = (typeof workerMethods)[M]['result'];
export type WorkerProgress<M extends WorkerMethod> = (typeof workerMethods)[M]['progress'];

/** The worker's side: one function per method, given checked arguments and a way to report progress. */
export type WorkerImplementation = {
  [M in WorkerMethod]: (
    args: z.output<(typeof workerMethods)[M]['args']>,
    progress: (data: WorkerProgress<M>) => void,
  ) => WorkerResult<M> | Promise<WorkerResult<M>>;
};

export interface WorkerRequest {
  id: number;
  method: string;
  args: unknown;
}

/** The worker asking main to build a snapshot in the builder's process, and main's answer. */
export type WorkerBuildAsk = { build: { buildId: number; request: BuildRequest } };
export type WorkerBuildAnswer = { buildDone: number } & BuildReply;

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string } }
  | { id: number; progress: unknown };
