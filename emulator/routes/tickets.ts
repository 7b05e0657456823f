// Password-change and email-verification tickets.
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';

export function registerTicketRoutes(_app: FastifyInstance, _ctx: TenantContext): void {}
