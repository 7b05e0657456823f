// Auth0's Management API error envelope and the texts its validator (z-schema behind hapi) produces.
import type { FastifyReply } from 'fastify';

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    const body: Record<string, unknown> = {
      statusCode: this.statusCode,
      error: reasons[this.statusCode] ?? 'Error',
      message: this.message,
    };
    if (this.errorCode) body.errorCode = this.errorCode;
    return body;
  }
}

export const errors = {
  badRequest: (message: string, errorCode = 'invalid_body') => new ApiError(400, message, errorCode),
  payload: (detail: string, property?: string) =>
    new ApiError(
      400,
      `Payload validation error: '${detail}'${property ? ` on property ${property}` : ''}.`,
      'invalid_body',
    ),
  query: (detail: string, property: string, description?: string) =>
    new ApiError(
      400,
      `Query validation error: '${detail}' on property ${property}${description ? ` (${description})` : ''}.`,
      'invalid_query_string',
    ),
  path: (detail: string, property: string) =>
    new ApiError(400, `Path validation error: '${detail}' on property ${property}.`, 'invalid_uri'),
  unauthorized: (message: string) => new ApiError(401, message),
  insufficientScope: (rule: { any: string[] } | { all: string[] }) =>
    new ApiError(
      403,
      'any' in rule
        ? `Insufficient scope, expected any of: ${rule.any.join(',')}`
        : `Insufficient scope, expected all of: ${rule.all.join(',')}`,
      'insufficient_scope',
    ),
  inexistentUser: () => new ApiError(404, 'The user does not exist.', 'inexistent_user'),
  notFound: (message: string, errorCode?: string) => new ApiError(404, message, errorCode),
  conflict: (message: string, errorCode?: string) => new ApiError(409, message, errorCode),
  tooManyRequests: () => new ApiError(429, 'Global limit has been reached', 'too_many_requests'),
};

export function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply.code(err.statusCode).type('application/json; charset=utf-8').send(err.body());
}
