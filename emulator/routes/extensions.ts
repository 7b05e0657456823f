// Local-tenant extensions under /__emulator/ — NOT part of Auth0's API: the outbox of emails it would have sent,
// and the download behind an export job's `location` (Auth0 serves those from signed storage URLs).
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';

export function registerExtensionRoutes(app: FastifyInstance, ctx: TenantContext): void {
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
    if (Date.now() > file.expiresAt)
      return reply
        .code(403)
        .type('application/xml')
        .send('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    return reply
      .type('application/gzip')
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .send(file.body);
  });
}
