// Connections: list and get.
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';

export function registerConnectionRoutes(_app: FastifyInstance, _ctx: TenantContext): void {}
