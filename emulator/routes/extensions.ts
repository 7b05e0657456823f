// Local-tenant extensions under /__emulator/ — NOT part of Auth0's API: the outbox of emails it would have sent,
// the download behind an export job's `location` (Auth0 serves those from signed storage URLs), a count of the
// writes applied to each user (so tests and benchmarks can prove a write was applied exactly once), and injected
// failures for chosen endpoints (PUT /__emulator/faults), answered before anything is applied.
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { TokenSigner } from '../tokens.js';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * The users a successful write applied to: the user in its path, the user it created, the members it added to a role
 * or added to (or removed from) an organization, or the organization member whose roles it changed.
 */
function usersWritten(
  method: string,
  path: string,
  body: unknown,
  payload: unknown,
  appliedTo: string | undefined,
): string[] {
  if (appliedTo) return [appliedTo];
  const m = /^\/api\/v2\/users\/([^/]+)/.exec(path);
  if (m) return [decodeURIComponent(m[1]!)];
  if (method === 'POST' && path === '/api/v2/users' && typeof payload === 'string') {
    try {
      const id = (JSON.parse(payload) as { user_id?: unknown }).user_id;
      return typeof id === 'string' ? [id] : [];
    } catch {
      return [];
    }
  }
  const memberRoles = /^\/api\/v2\/organizations\/[^/]+\/members\/([^/]+)\/roles$/.exec(path);
  if (memberRoles) return [decodeURIComponent(memberRoles[1]!)];
  if (/^\/api\/v2\/organizations\/[^/]+\/members$/.test(path)) {
    const members = (body as { members?: unknown } | undefined)?.members;
    return Array.isArray(members) ? members.filter((u): u is string => typeof u === 'string') : [];
  }
  if (/^\/api\/v2\/roles\/[^/]+\/users$/.test(path)) {
    const users = (body as { users?: unknown } | undefined)?.users;
    return Array.isArray(users) ? users.filter((u): u is string => typeof u === 'string') : [];
  }
  return [];
}

export function registerExtensionRoutes(app: FastifyInstance, ctx: TenantContext): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (!WRITE_METHODS.has(req.method) || reply.statusCode >= 300) return payload;
    const path = req.url.split('?')[0]!;
    for (const id of usersWritten(
      req.method,
      path,
      req.body,
      payload,
      (req as { appliedTo?: string }).appliedTo,
    ))
      ctx.store.appliedWrites.set(id, (ctx.store.appliedWrites.get(id) ?? 0) + 1);
    return payload;
  });

  app.get('/__emulator/writes', async () => Object.fromEntries(ctx.store.appliedWrites));

  // [{ "method": "GET", "path": "^/api/v2/users/[^/]+/logs$", "status": 503, "times": 10 }]
  app.put('/__emulator/faults', async (req, reply) => {
    const list = req.body as {
      method?: unknown;
      path?: unknown;
      status?: unknown;
      times?: unknown;
      truncate?: unknown;
    }[];
    if (!Array.isArray(list)) return reply.code(400).send({ message: 'Expected an array of faults' });
    try {
      ctx.store.faults = list.map((f) => ({
        ...(typeof f.method === 'string' ? { method: f.method.toUpperCase() } : {}),
        path: new RegExp(String(f.path)),
        status: Number(f.status ?? 503),
        times: Number(f.times ?? 1),
        ...(f.truncate === true ? { truncate: true } : {}),
      }));
    } catch (err) {
      return reply.code(400).send({ message: (err as Error).message });
    }
    return reply.code(204).send();
  });
  // New signing keys: every access token issued so far is refused (a rotation, or a restart that lost the keys).
  app.post('/__emulator/rotate-keys', async (_req, reply) => {
    ctx.signer = await TokenSigner.create();
    return reply.code(204).send();
  });
  app.delete('/__emulator/writes', async (_req, reply) => {
    ctx.store.appliedWrites.clear();
    return reply.code(204).send();
  });

  app.get('/__emulator/outbox', async (req) => {
    const to = (req.query as Record<string, unknown>).to;
    const all = ctx.store.outbox;
    return typeof to === 'string' ? all.filter((m) => m.to.toLowerCase() === to.toLowerCase()) : all;
  });

  app.get('/__emulator/exports/:job/:file', async (req, reply) => {
    const { job } = req.params as { job: string; file: string };
    const file = ctx.store.exports.get(job);
    if (!file)
      return reply
        .code(404)
        .type('application/xml')
        .send('<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
    const fault = ctx.store.takeFault('GET', req.url.split('?')[0]!);
    if (Date.now() > file.expiresAt || (fault && !fault.truncate))
      return reply
        .code(fault && !fault.truncate ? fault.status : 403)
        .type('application/xml')
        .send('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    return reply
      .type('application/gzip')
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .send(fault?.truncate ? file.body.subarray(0, Math.floor(file.body.length / 2)) : file.body);
  });
}
