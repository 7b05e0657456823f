// Finding the users of a bulk edit. A query matching up to 1,000 users is paged through Auth0's search. Past that
// (search stops at 1,000), one users-export job carries every user with the fields a plan needs; its file is
// streamed through gunzip and filtered here, a few hundred users at a time, by the same query engine the local
// tenant answers searches with (query/) — so "matches" means the same thing. A list of ids or emails is looked up
// entry by entry, or, when long, matched against an export; unknown and ambiguous entries are kept, never dropped.
import { scopedSignal } from '../auth0/scoped-signal.js';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Auth0User, BulkPlanSummary } from '../../preload/contract.js';
import { UserIndex } from '../../query/index.js';
import { checkQuery } from '../query-check.js';
import type { TenantConnection } from '../auth0/tenant-connection.js';
import { AppError } from '../errors.js';
import { downloadExport, downloadFailure, runExportJob } from '../exports/auth0-export.js';
import { EXPORT_FIELDS, fromExportLine } from '../offline/export-lines.js';
import { jsonShapeProblem } from '../intake/json.js';
import { SNAPSHOT_FILE_LIMITS, textLines } from '../intake/text.js';
import { asUser, SEARCH_CAP } from '../users/user-reads.js';

export type Progress = (phase: string, done: number, total: number | null) => void;

export interface EnumerationContext {
  connection: TenantConnection;
  signal: AbortSignal;
  progress: Progress;
}

/** Runs a users-export job and streams its users, one by one, without holding the file in memory. */
export async function* exportedUsers(ctx: EnumerationContext): AsyncGenerator<Auth0User> {
  ctx.progress('Asking Auth0 to export the users', 0, 100);
  const { jobId, location } = await runExportJob(
    ctx.connection,
    { format: 'json', fields: EXPORT_FIELDS.map((name) => ({ name, export_as: name })) },
    ctx.signal,
    (s) => ctx.progress('Auth0 is exporting the users', s.percentDone ?? 0, 100),
  );
  const lines = textLines(
    await downloadExport(ctx.connection, jobId, location, ctx.signal),
    SNAPSHOT_FILE_LIMITS.maxRecordBytes,
  );
  let n = 0;
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      const shape = jsonShapeProblem(line, SNAPSHOT_FILE_LIMITS);
      if (shape)
        throw new AppError('auth0_error', `The export file could not be read: user ${n + 1} ${shape}.`);
      yield fromExportLine(JSON.parse(line) as Record<string, unknown>);
      if (++n % 1000 === 0) ctx.progress('Reading the exported users', n, null);
    }
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (err instanceof SyntaxError)
      throw new AppError('auth0_error', `The export file could not be read (${err.message}).`);
    throw downloadFailure(err);
  }
}

const CHUNK = 250;

/** Users of a stream matching q, filtered a chunk at a time (the event loop breathes between chunks). */
export async function* matching(users: AsyncIterable<Auth0User>, q: string): AsyncGenerator<Auth0User> {
  let chunk: Auth0User[] = [];
  const flush = function* () {
    const index = new UserIndex();
    for (const u of chunk) index.upsert(u);
    yield* index.matchAll(q) as Auth0User[];
    chunk = [];
  };
  for await (const u of users) {
    chunk.push(u);
    if (chunk.length >= CHUNK) {
      yield* flush();
      await yieldToLoop();
    }
  }
  yield* flush();
}

/** Every user matching a query: a search up to 1,000 users, an export filtered here past that. */
export async function usersMatching(
  ctx: EnumerationContext,
  q: string,
): Promise<{
  method: BulkPlanSummary['enumeration'];
  total: number | null;
  users: AsyncIterable<Auth0User>;
}> {
  checkQuery(q);
  const management = ctx.connection.management;
  const first = await scopedSignal(ctx.signal, (abortSignal) =>
    management.users.list(
      { q: q || undefined, search_engine: 'v3', page: 0, per_page: 100, include_totals: true },
      { abortSignal },
    ),
  );
  const body = first.response as { users?: unknown[]; total?: number };
  const total = body.total ?? first.data.length;
  if (total > SEARCH_CAP) return { method: 'export', total: null, users: matching(exportedUsers(ctx), q) };
  async function* pages(): AsyncGenerator<Auth0User> {
    let seen = 0;
    for (const u of body.users ?? first.data) yield asUser(u);
    seen += (body.users ?? first.data).length;
    for (let page = 1; page * 100 < total; page++) {
      ctx.progress('Searching', seen, total);
      const r = await scopedSignal(ctx.signal, (abortSignal) =>
        management.users.list(
          { q: q || undefined, search_engine: 'v3', page, per_page: 100, include_totals: true },
          { abortSignal },
        ),
      );
      const users = (r.response as { users?: unknown[] }).users ?? r.data;
      for (const u of users) yield asUser(u);
      seen += users.length;
    }
  }
  return { method: 'search', total, users: pages() };
}

const isEmail = (entry: string) => entry.includes('@') && !entry.includes('|');

/** Entries to users, with those that match nobody and emails that match several, each in words. */
export async function resolveList(
  ctx: EnumerationContext,
  entries: string[],
): Promise<{
  method: BulkPlanSummary['enumeration'];
  users: Auth0User[];
  unknown: BulkPlanSummary['unknown'];
  ambiguous: BulkPlanSummary['ambiguous'];
}> {
  const users = new Map<string, Auth0User>();
  const unknown: BulkPlanSummary['unknown'] = [];
  const ambiguous: BulkPlanSummary['ambiguous'] = [];
  const found = (entry: string, matches: Auth0User[]) => {
    if (matches.length === 0)
      unknown.push({ entry, reason: isEmail(entry) ? 'no user has this email' : 'no user has this id' });
    else if (matches.length > 1)
      ambiguous.push({
        entry,
        matches: matches.map((u) => ({
          user_id: u.user_id,
          ...(u.email ? { email: u.email } : {}),
          ...(u.identities?.[0]?.connection ? { connection: u.identities[0].connection } : {}),
        })),
      });
    else users.set(matches[0]!.user_id, matches[0]!);
  };
  // A long list costs one request per entry; one export answers it in a handful.
  if (entries.length > 200) {
    const byId = new Map<string, Auth0User>();
    const byEmail = new Map<string, Auth0User[]>();
    for await (const u of exportedUsers(ctx)) {
      byId.set(u.user_id, u);
      if (u.email) byEmail.set(u.email.toLowerCase(), [...(byEmail.get(u.email.toLowerCase()) ?? []), u]);
    }
    for (const entry of entries) {
      const u = byId.get(entry);
      found(entry, u ? [u] : isEmail(entry) ? (byEmail.get(entry.toLowerCase()) ?? []) : []);
    }
    return { method: 'export', users: [...users.values()], unknown, ambiguous };
  }
  const management = ctx.connection.management;
  let done = 0;
  for (const entry of entries) {
    ctx.progress('Looking up the listed users', done++, entries.length);
    if (isEmail(entry)) {
      found(
        entry,
        (
          await scopedSignal(ctx.signal, (abortSignal) =>
            management.users.listUsersByEmail({ email: entry }, { abortSignal }),
          )
        ).map(asUser),
      );
      continue;
    }
    try {
      found(entry, [
        asUser(
          await scopedSignal(ctx.signal, (abortSignal) => management.users.get(entry, {}, { abortSignal })),
        ),
      ]);
    } catch (err) {
      if (
        (err as { statusCode?: number }).statusCode === 404 ||
        (err as { statusCode?: number }).statusCode === 400
      )
        found(entry, []);
      else throw err;
    }
  }
  return { method: 'lookup', users: [...users.values()], unknown, ambiguous };
}

/** Who holds each of these roles, from the roles' own member lists (checkpoint paging, any size). */
export async function roleMembers(
  ctx: EnumerationContext,
  roleIds: string[],
): Promise<Map<string, Set<string>>> {
  const management = ctx.connection.management;
  const out = new Map<string, Set<string>>();
  for (const id of roleIds) {
    let role: { name?: string };
    try {
      role = await scopedSignal(ctx.signal, (abortSignal) => management.roles.get(id, { abortSignal }));
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404)
        throw new AppError('validation', `The role ${id} does not exist on this tenant.`);
      throw err;
    }
    const members = new Set<string>();
    ctx.progress(`Reading the members of the role ${role.name ?? id}`, 0, null);
    await scopedSignal(ctx.signal, async (abortSignal) => {
      for await (const m of await management.roles.users.list(id, { take: 100 }, { abortSignal }))
        if (m.user_id) members.add(String(m.user_id));
    });
    out.set(id, members);
  }
  return out;
}
