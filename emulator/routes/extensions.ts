// Local-tenant extensions under /__emulator/ (not part of Auth0's API).
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';

export function registerExtensionRoutes(_app: FastifyInstance, _ctx: TenantContext): void {}
