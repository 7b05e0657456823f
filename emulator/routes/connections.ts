// Connections: list (name and strategy filters, offset or checkpoint paging) and get.
import type { FastifyInstance } from 'fastify';
import { api, projectFields, type TenantContext } from '../context.js';
import { errors } from '../errors.js';
import { parseQueryParams } from '../validate.js';
import {
  checkpointPage,
  checkpointPagingProps,
  fieldsProps,
  isCheckpoint,
  offsetPage,
  offsetPagingProps,
} from './paging.js';

export function registerConnectionRoutes(app: FastifyInstance, ctx: TenantContext): void {
  api(app, 'GET', '/connections', ['read:connections'], (req) => {
    const query = parseQueryParams(
      {
        type: 'object',
        properties: {
          ...offsetPagingProps,
          ...checkpointPagingProps,
          ...fieldsProps,
          strategy: {
            type: 'array',
            items: { type: 'string' },
            description: 'Provide strategies to only retrieve connections with such strategies',
          },
          name: { type: 'string', description: 'Provide the name of the connection to retrieve' },
        },
      },
      req.query as Record<string, unknown>,
    );
    const strategies = query.strategy as string[] | undefined;
    const list = ctx.store.connections
      .filter(
        (c) => (!strategies || strategies.includes(c.strategy)) && (!query.name || c.name === query.name),
      )
      .map((c) =>
        projectFields(
          c as unknown as Record<string, unknown>,
          query.fields as string | undefined,
          query.include_fields as boolean | undefined,
        ),
      );
    if (isCheckpoint(query)) return checkpointPage(list, query, 'connections', (c) => String(c.id ?? c.name));
    return offsetPage(list, query, 'connections');
  });

  api(app, 'GET', '/connections/:id', ['read:connections'], (req) => {
    const query = parseQueryParams(
      { type: 'object', properties: fieldsProps },
      req.query as Record<string, unknown>,
    );
    const c = ctx.store.connectionById((req.params as { id: string }).id);
    if (!c) throw errors.notFound('The connection does not exist', 'inexistent_connection');
    return projectFields(
      c as unknown as Record<string, unknown>,
      query.fields as string | undefined,
      query.include_fields as boolean | undefined,
    );
  });
}
