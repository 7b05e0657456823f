// Connections: list (name and strategy filters, offset or checkpoint paging), get, and update (Auth0 replaces the
// whole `options` object on update; it does not merge it).
import type { FastifyInstance } from 'fastify';
import { api, logApi, projectFields, type TenantContext } from '../context.js';
import { errors } from '../errors.js';
import { parseQueryParams, validateBody, type Schema } from '../validate.js';
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
      .map((c) => {
        const projected = projectFields(
          c as unknown as Record<string, unknown>,
          query.fields as string | undefined,
          query.include_fields as boolean | undefined,
        );
        // Auth0 sends is_domain_connection whatever `fields` asks for (go-auth0 TestConnectionManager_List:
        // fields=id answers {id, is_domain_connection}).
        return { ...projected, is_domain_connection: c.is_domain_connection } as Record<string, unknown>;
      });
    if (isCheckpoint(query)) return checkpointPage(list, query, 'connections', (c) => String(c.id ?? c.name));
    const page = offsetPage(list, query, 'connections');
    if (Array.isArray(page)) return page;
    // Totals first here (go-auth0 TestConnectionManager_List, TestJobManager_ImportUsers).
    const { connections, start, limit, total } = page as Record<string, unknown>;
    return { total, start, limit, connections };
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

  const updateSchema: Schema = {
    type: 'object',
    properties: {
      display_name: { type: 'string', maxLength: 128 },
      options: { type: 'object' },
      enabled_clients: { type: 'array', items: { type: 'string' } },
      is_domain_connection: { type: 'boolean' },
      realms: { type: 'array', items: { type: 'string' } },
      show_as_button: { type: 'boolean' },
      metadata: { type: 'object' },
    },
    additionalProperties: false,
  };

  api(app, 'PATCH', '/connections/:id', ['update:connections'], (req, _reply, auth) => {
    validateBody(updateSchema, req.body ?? null);
    const c = ctx.store.connectionById((req.params as { id: string }).id);
    if (!c) throw errors.notFound('The connection does not exist', 'inexistent_connection');
    const next = { ...structuredClone(c), ...(req.body as Record<string, unknown>) } as typeof c;
    ctx.store.putConnection(next);
    logApi(ctx, req, auth, 'Update a connection', { details: { connection: next.name } });
    return next;
  });
}
