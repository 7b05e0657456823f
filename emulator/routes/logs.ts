// Tenant logs and user logs.
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';

export function registerLogRoutes(_app: FastifyInstance, _ctx: TenantContext): void {}
