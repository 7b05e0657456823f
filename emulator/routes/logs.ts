// Tenant logs (`GET /logs` searched by the same query engine as users, with Auth0's log-search rules; offset or
// checkpoint paging) and a user's logs.
import type { FastifyInstance } from 'fastify';
import { api, projectFields, userOr404, type TenantContext } from '../context.js';
import { ApiError, errors } from '../errors.js';
import type { LogEvent } from '../model.js';
import { QueryError } from '../../query/index.js';
import { parseQueryParams } from '../validate.js';
import { checkpointPagingProps, fieldsProps, offsetPage, offsetPagingProps } from './paging.js';
import { valueAtPath } from '../../preload/contract.js';

const valueAt = (log: LogEvent, path: string): unknown => valueAtPath(log, path);

function asText(v: unknown): string | undefined {
  if (v === undefined || v === null || typeof v === 'object') return undefined;
  return String(v);
}

export function registerLogRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const sortLogs = (logs: LogEvent[], sort: string | undefined): LogEvent[] => {
    const m = /^([a-z_]+):(1|-1)$/.exec(sort ?? 'date:-1');
    if (!m)
      throw errors.query(`String does not match pattern ^(([a-zA-Z0-9_\\.]+))\\:(1|-1)$: ${sort}`, 'sort');
    const [, field, dir] = m as unknown as [string, string, string];
    const sign = dir === '1' ? 1 : -1;
    return [...logs].sort((a, b) => {
      const x = asText(valueAt(a, field)) ?? '';
      const y = asText(valueAt(b, field)) ?? '';
      return (x < y ? -1 : x > y ? 1 : a.log_id < b.log_id ? -1 : 1) * sign;
    });
  };

  // The events by log id, sorted once per change of the log (seeded events arrive out of id order).
  let sorted: { key: string; logs: LogEvent[] } = { key: '', logs: [] };
  const logsById = (): LogEvent[] => {
    const logs = ctx.store.logs;
    const key = `${logs.length}:${logs[logs.length - 1]?.log_id ?? ''}`;
    if (sorted.key !== key)
      sorted = {
        key,
        logs: [...logs].sort((a, b) => (a.log_id < b.log_id ? -1 : a.log_id > b.log_id ? 1 : 0)),
      };
    return sorted.logs;
  };

  api(app, 'GET', '/logs', ['read:logs', 'read:logs_users'], (req) => {
    const query = parseQueryParams(
      {
        type: 'object',
        properties: {
          ...offsetPagingProps,
          ...checkpointPagingProps,
          ...fieldsProps,
          sort: {
            type: 'string',
            description:
              'Field to use for sorting appended with :1  for ascending and :-1 for descending. e.g. date:-1',
          },
          q: {
            type: 'string',
            description:
              'Query in <a href ="http://www.lucenetutorial.com/lucene-query-syntax.html">Lucene query string syntax</a>.',
          },
          search: { type: 'string', description: 'Retrieves logs that match the specified search criteria.' },
        },
      },
      req.query as Record<string, unknown>,
    );
    if (query.from !== undefined || query.take !== undefined) {
      // Checkpoint: events after `from`, ordered by log id (which follows time), oldest first. Auth0 ignores every
      // other parameter here — a query, a sort, fields — and so does this.
      const take = (query.take as number | undefined) ?? 50;
      const from = query.from as string | undefined;
      const byId = logsById();
      if (!from) return byId.slice(-take);
      // The first event after `from`, by binary search.
      let lo = 0;
      let hi = byId.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (byId[mid]!.log_id <= from) lo = mid + 1;
        else hi = mid;
      }
      return byId.slice(lo, lo + take);
    }
    const q = ((query.q ?? query.search) as string | undefined)?.trim();
    let all: LogEvent[];
    try {
      // The same engine and rules module as user search (query/), with Auth0's log-search field rules.
      all = ctx.store.logIndex.matchAll(q) as unknown as LogEvent[];
    } catch (err) {
      if (err instanceof QueryError) throw new ApiError(400, err.message, err.errorCode);
      throw err;
    }
    const project = (l: LogEvent) =>
      projectFields(
        l as unknown as Record<string, unknown>,
        query.fields as string | undefined,
        query.include_fields as boolean | undefined,
      );
    const perPage = (query.per_page as number | undefined) ?? 50;
    const page = (query.page as number | undefined) ?? 0;
    if (page * perPage + perPage > 1000 && perPage > 0)
      throw new ApiError(
        400,
        'You can only page through the first 1000 records. See https://auth0.com/docs/logs/retrieve-log-events-using-mgmt-api#limitations',
        'invalid_paging',
      );
    return offsetPage(sortLogs(all, query.sort as string | undefined).map(project), query, 'logs', true);
  });

  api(app, 'GET', '/logs/:id', ['read:logs', 'read:logs_users'], (req) => {
    const log = ctx.store.logs.find((l) => l.log_id === (req.params as { id: string }).id);
    if (!log) throw errors.notFound('log not found', 'inexistent_log');
    return log;
  });

  api(app, 'GET', '/users/:id/logs', ['read:logs', 'read:logs_users'], (req) => {
    const query = parseQueryParams(
      {
        type: 'object',
        properties: {
          ...offsetPagingProps,
          sort: {
            type: 'string',
            description:
              'Field to sort by. Use `fieldname:1` for ascending order and `fieldname:-1` for descending.',
          },
        },
      },
      req.query as Record<string, unknown>,
    );
    const user = userOr404(ctx, (req.params as { id: string }).id);
    const logs = sortLogs(
      ctx.store.logs.filter((l) => l.user_id === user.user_id),
      query.sort as string | undefined,
    );
    return offsetPage(logs, query, 'logs', true);
  });
}
