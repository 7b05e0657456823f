// The tenant's logs: searched (Auth0's log query syntax, newest first, pages of up to 100 within the first 1,000
// results, as Auth0 allows), read by checkpoint (`from`/`take`: events after a given log id, oldest first, with no
// 1,000 limit — Auth0 ignores every other parameter there, so a query is applied here to each page, with the same
// engine and log-search rules the local tenant answers with), and one event whole. The live tail is checkpoint
// reading from the newest event seen. Reads go through the tenant's scheduler like every request.
import type { ManagementClient } from 'auth0';
import type { ChannelParsedInput, LogEventSummary } from '../../preload/contract.js';
import { LOG_RULES, RecordIndex } from '../../query/index.js';
import { AppError } from '../errors.js';
import { checkQuery } from '../query-check.js';
import type { TenantService } from '../tenants/tenant-service.js';

/** Auth0 pages a log search through its first 1,000 results only. */
const SEARCH_CAP = 1000;

const TEXT_FIELDS = [
  'description',
  'ip',
  'client_id',
  'client_name',
  'connection',
  'user_id',
  'user_name',
  'strategy',
  'strategy_type',
  'hostname',
  'user_agent',
] as const;

/** A log event as the tables show it (the whole event is read with logs:get). */
export function summarizeLog(l: Record<string, unknown>): LogEventSummary {
  const out: LogEventSummary = {
    log_id: String(l.log_id ?? l._id ?? ''),
    date: String(l.date ?? ''),
    type: String(l.type ?? ''),
  };
  for (const f of TEXT_FIELDS) {
    const v = l[f];
    if (v !== undefined && v !== null && v !== '' && typeof v !== 'object') out[f] = String(v);
  }
  return out;
}

export class LogReads {
  constructor(private readonly tenants: TenantService) {}

  private api(tenantId: string): ManagementClient {
    return this.tenants.connection(tenantId).management;
  }

  async search(
    input: ChannelParsedInput<'logs:search'>,
  ): Promise<{ logs: LogEventSummary[]; total: number; capped: boolean }> {
    checkQuery(input.q);
    const q = input.q.trim();
    if ((input.page + 1) * input.perPage > SEARCH_CAP)
      throw new AppError(
        'invalid_query',
        'Auth0 lets a log search page through only its first 1,000 results. Narrow the query (a date range), or read on by checkpoint.',
        { details: { capped: true } },
      );
    // The SDK sends the query as `search`, the parameter Auth0 documents for it.
    const page = await this.api(input.tenantId).logs.list({
      ...(q ? { search: q } : {}),
      page: input.page,
      per_page: input.perPage,
      sort: 'date:-1',
      include_totals: true,
    });
    const body = page.response as { logs?: Record<string, unknown>[]; total?: number };
    const list = body.logs ?? (page.data as unknown as Record<string, unknown>[]);
    const total = body.total ?? input.page * input.perPage + list.length;
    return { logs: list.map(summarizeLog), total, capped: total > SEARCH_CAP };
  }

  /**
   * Events after `from` (oldest first), at most `take` read from Auth0, those matching `q` returned; `next` is the
   * checkpoint to read on from (the last event read, matching or not). Without `from`, Auth0's newest `take` events.
   */
  async checkpoint(
    input: ChannelParsedInput<'logs:checkpoint'>,
  ): Promise<{ logs: LogEventSummary[]; next: string | null; read: number }> {
    checkQuery(input.q);
    const q = input.q.trim();
    const page = await this.api(input.tenantId).logs.list(
      {},
      { queryParams: { ...(input.from ? { from: input.from } : {}), take: input.take } },
    );
    const raw = (Array.isArray(page.response) ? page.response : (page.data as unknown)) as Record<
      string,
      unknown
    >[];
    // Checkpoint pages come ordered by log id, which follows time.
    const events = raw.map((l) => ({ ...l, log_id: String(l.log_id ?? l._id ?? '') }));
    events.sort((a, b) => (a.log_id < b.log_id ? -1 : a.log_id > b.log_id ? 1 : 0));
    let matching = events;
    if (q) {
      const index = new RecordIndex(LOG_RULES);
      for (const e of events) index.upsert(e);
      const hits = new Set(index.matchAll(q).map((e) => e.log_id));
      matching = events.filter((e) => hits.has(e.log_id));
    }
    return {
      logs: matching.map(summarizeLog),
      next: events.length ? events[events.length - 1]!.log_id : (input.from ?? null),
      read: events.length,
    };
  }

  async get(tenantId: string, logId: string): Promise<Record<string, unknown>> {
    return (await this.api(tenantId).logs.get(logId)) as unknown as Record<string, unknown>;
  }
}
