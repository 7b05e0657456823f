// Auth0's two paging styles: offset (page, per_page, include_totals envelope) and checkpoint (from, take → next).
import type { Schema } from '../validate.js';

export const offsetPagingProps = {
  page: { type: 'integer', minimum: 0, description: 'Page index of the results to return. First page is 0.' },
  per_page: {
    type: 'integer',
    minimum: 0,
    maximum: 100,
    description: 'Number of results per page. Defaults to 50.',
  },
  include_totals: {
    type: 'boolean',
    description:
      'Return results inside an object that contains the total result count (true) or as a direct array of results (false, default).',
  },
} as const satisfies Record<string, Schema>;

export const checkpointPagingProps = {
  from: { type: 'string', description: 'Optional Id from which to start selection.' },
  take: {
    type: 'integer',
    minimum: 1,
    maximum: 100,
    description: 'Number of results per page. Defaults to 50.',
  },
} as const satisfies Record<string, Schema>;

export const fieldsProps = {
  fields: {
    type: 'string',
    description:
      'Comma-separated list of fields to include or exclude (based on value provided for include_fields) in the result. Leave empty to retrieve all fields.',
  },
  include_fields: {
    type: 'boolean',
    description: 'Whether specified fields are to be included (true) or excluded (false). Defaults to true.',
  },
} as const satisfies Record<string, Schema>;

/** Offset paging: a bare array, or `{[key], start, limit, total}` (plus `length` where Auth0 sends it). */
export function offsetPage<T>(
  items: T[],
  query: Record<string, unknown>,
  key: string,
  withLength = false,
): unknown {
  const perPage = (query.per_page as number | undefined) ?? 50;
  const page = (query.page as number | undefined) ?? 0;
  const start = page * perPage;
  const slice = items.slice(start, start + perPage);
  if (!query.include_totals) return slice;
  return {
    [key]: slice,
    start,
    limit: perPage,
    ...(withLength ? { length: slice.length } : {}),
    total: items.length,
  };
}

/** Checkpoint paging over items with stable ids: `{[key], next?}`; `next` is the opaque id to pass as `from`. */
export function checkpointPage<T>(
  items: T[],
  query: Record<string, unknown>,
  key: string,
  idOf: (item: T) => string,
): unknown {
  const take = (query.take as number | undefined) ?? 50;
  let start = 0;
  if (typeof query.from === 'string' && query.from !== '') {
    const decoded = Buffer.from(query.from, 'base64url').toString('utf8');
    const at = items.findIndex((i) => idOf(i) === decoded);
    start = at === -1 ? items.length : at;
  }
  const slice = items.slice(start, start + take);
  const following = items[start + take];
  return {
    [key]: slice,
    ...(following ? { next: Buffer.from(idOf(following), 'utf8').toString('base64url') } : {}),
  };
}

export function isCheckpoint(query: Record<string, unknown>): boolean {
  return query.from !== undefined || query.take !== undefined;
}
