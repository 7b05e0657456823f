// Jobs: verification email, users exports and imports.
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';

export function registerJobRoutes(_app: FastifyInstance, _ctx: TenantContext): void {}
