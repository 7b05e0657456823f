// The users of the log events matching a query ("successful logins from 203.0.113.7 between 02:00 and 03:00"), for a
// bulk edit. Auth0's log search pages through its first 1,000 results only, so a query matching more is split by
// date: the span between its oldest and newest event is halved until each part holds at most 1,000 events, and
// each part is paged through — every matching event is read once, however many there are.
import type { ManagementClient } from 'auth0';
import { AppError } from '../errors.js';
import { checkQuery } from '../query-check.js';

const SEARCH_CAP = 1000;
const PER_PAGE = 100;
/** More distinct users than this from one query is refused: narrow the query. */
export const MAX_LOG_USERS = 1_000_000;

export interface LogUsersProgress {
  (phase: string, done: number, total: number | null): void;
}

interface Page {
  logs: Record<string, unknown>[];
  total: number;
}

async function search(
  api: ManagementClient,
  q: string,
  page: number,
  perPage: number,
  sort: 'date:-1' | 'date:1',
  signal: AbortSignal,
): Promise<Page> {
  if (signal.aborted) throw signal.reason;
  const res = await api.logs.list({ search: q, page, per_page: perPage, sort, include_totals: true });
  const body = res.response as { logs?: Record<string, unknown>[]; total?: number };
  const logs = body.logs ?? (res.data as unknown as Record<string, unknown>[]);
  return { logs, total: body.total ?? logs.length };
}

const within = (q: string, lo: string, hi: string, closeHi: boolean) =>
  `(${q}) AND date:[${lo} TO ${hi}${closeHi ? ']' : '}'}`;

/** Every distinct user id of the events matching q, oldest part first. */
export async function logEventUserIds(
  api: ManagementClient,
  rawQ: string,
  signal: AbortSignal,
  progress: LogUsersProgress,
): Promise<{ userIds: string[]; events: number }> {
  checkQuery(rawQ);
  const q = rawQ.trim();
  if (!q)
    throw new AppError(
      'validation',
      'Say which log events: an empty query would take every user who did anything.',
    );
  const users = new Set<string>();
  let events = 0;
  const take = (logs: Record<string, unknown>[]) => {
    for (const l of logs) {
      events++;
      const id = l.user_id;
      if (typeof id === 'string' && id) users.add(id);
    }
    if (users.size > MAX_LOG_USERS)
      throw new AppError(
        'validation',
        `These events name more than ${MAX_LOG_USERS.toLocaleString('en-US')} users: narrow the query.`,
      );
  };
  /** Pages through a query known to hold at most 1,000 events. */
  const readAll = async (query: string, total: number) => {
    for (let page = 0; page * PER_PAGE < total; page++) {
      const r = await search(api, query, page, PER_PAGE, 'date:-1', signal);
      take(r.logs);
      progress('Reading the log events', events, null);
      if (r.logs.length < PER_PAGE) break;
    }
  };

  const first = await search(api, q, 0, PER_PAGE, 'date:-1', signal);
  if (first.total <= SEARCH_CAP) {
    take(first.logs);
    if (first.logs.length === PER_PAGE) {
      for (let page = 1; page * PER_PAGE < first.total; page++) {
        const r = await search(api, q, page, PER_PAGE, 'date:-1', signal);
        take(r.logs);
        if (r.logs.length < PER_PAGE) break;
      }
    }
    return { userIds: [...users], events };
  }

  // Past 1,000: split by date between the oldest and the newest matching event.
  const newest = String(first.logs[0]?.date ?? '');
  const oldest = String((await search(api, q, 0, 1, 'date:1', signal)).logs[0]?.date ?? '');
  if (!newest || !oldest) throw new AppError('auth0_error', 'Auth0 gave log events without dates.');
  progress('Reading the log events', 0, first.total);
  const parts: { lo: number; hi: number; closeHi: boolean }[] = [
    { lo: Date.parse(oldest), hi: Date.parse(newest), closeHi: true },
  ];
  while (parts.length) {
    const part = parts.shift()!;
    const query = within(q, new Date(part.lo).toISOString(), new Date(part.hi).toISOString(), part.closeHi);
    const count = await search(api, query, 0, 1, 'date:-1', signal);
    if (count.total === 0) continue;
    if (count.total <= SEARCH_CAP) {
      await readAll(query, count.total);
      progress('Reading the log events', events, first.total);
      continue;
    }
    if (part.hi - part.lo < 2)
      throw new AppError(
        'validation',
        `More than ${SEARCH_CAP.toLocaleString('en-US')} matching events within one millisecond: narrow the query.`,
      );
    const mid = part.lo + Math.floor((part.hi - part.lo) / 2);
    parts.unshift({ lo: part.lo, hi: mid, closeHi: false }, { lo: mid, hi: part.hi, closeHi: part.closeHi });
  }
  return { userIds: [...users], events };
}
