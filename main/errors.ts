// Typed errors inside main, and the one mapping from anything thrown to the bridge's error envelope.
// Nothing that leaves here may carry a secret, a private key or an access token.
import type { ErrorCode, ErrorEnvelope } from '../preload/contract.js';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { status?: number; auth0ErrorCode?: string; retryable?: boolean; details?: unknown } = {},
  ) {
    super(message);
  }
}

const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'network', 'timeout']);

const JWT_PATTERN = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g;
const PEM_PRIVATE_PATTERN = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

/** Removes anything that looks like a token or a private key, and every known secret, from a text. */
export function scrub(text: string, secrets: Iterable<string> = []): string {
  let out = text
    .replace(PEM_PRIVATE_PATTERN, '[private key redacted]')
    .replace(JWT_PATTERN, '[token redacted]');
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join('[secret redacted]');
  return out;
}

/** Scrubs every string in a value, and drops keys that name a secret (password, token, key…). */
export function scrubDeep(value: unknown, secrets: Iterable<string>): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (/secret|password|token|private.?key|authorization|assertion/i.test(k)) continue;
      out[k] = scrubDeep(v, secrets);
    }
    return out;
  }
  return value;
}

export interface Auth0Body {
  statusCode?: number;
  error?: string;
  message?: string;
  errorCode?: string;
  error_description?: string;
}

/** An error answer of Auth0 (its status and body) as an AppError, by the one policy. */
export function fromAuth0(status: number, body: Auth0Body | undefined): AppError {
  const auth0ErrorCode = body?.errorCode ?? body?.error;
  const text = body?.message ?? body?.error_description ?? `The tenant answered ${status}.`;
  const extra = { status, ...(auth0ErrorCode ? { auth0ErrorCode } : {}) };
  if (status === 400 && (auth0ErrorCode === 'invalid_query_string' || auth0ErrorCode === 'invalid_paging'))
    return new AppError('invalid_query', text, extra);
  if (status === 400 || status === 413 || status === 414) {
    // "Payload validation error: 'String is too short…' on property name (…)." names the field: say so beside it.
    const m = /^Payload validation error: '(.+)' on property ([\w.[\]]+)/.exec(text);
    // Errors Auth0 names by code rather than by property, placed beside the field they concern.
    const byCode: Record<string, string> = {
      invalid_password: 'password',
      email_exists: 'email',
      username_exists: 'username',
    };
    const field = m?.[2] ?? (auth0ErrorCode ? byCode[auth0ErrorCode] : undefined);
    return new AppError('validation', text, {
      ...extra,
      ...(field ? { details: { issues: [{ path: field, message: m?.[1] ?? text }] } } : {}),
    });
  }
  if (status === 401)
    return new AppError('unauthorized', `The tenant refused the credentials: ${text}`, extra);
  if (status === 403 && auth0ErrorCode === 'insufficient_scope') {
    const scopes = /expected any of: (.*)$/.exec(text)?.[1]?.split(',') ?? [];
    return new AppError('insufficient_scope', `This tenant's grant does not allow that (${text}).`, {
      ...extra,
      details: { scopes },
    });
  }
  if (status === 403) return new AppError('unauthorized', text, extra);
  if (status === 404) return new AppError('not_found', text, extra);
  if (status === 409) return new AppError('conflict', text, extra);
  if (status === 429)
    return new AppError(
      'rate_limited',
      'The tenant\u2019s rate limit was reached and retries did not get through. Try again shortly.',
      {
        ...extra,
        retryable: true,
      },
    );
  if (status >= 500)
    return new AppError('auth0_error', `The tenant had a problem (${status}): ${text}`, {
      ...extra,
      retryable: true,
    });
  return new AppError('auth0_error', text, extra);
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|HOSTNAME|ALTNAME/;
const NETWORK_CODES =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED/;
const TIMEOUT_CODES =
  /TIMEOUT|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT/;

function causeCode(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    const x = e as { code?: unknown; name?: unknown; cause?: unknown; message?: unknown };
    if (typeof x.code === 'string') parts.push(x.code);
    if (typeof x.name === 'string') parts.push(x.name);
    if (typeof x.message === 'string') parts.push(x.message);
    e = x.cause;
  }
  return parts.join(' ');
}

/** Anything thrown → the envelope; `secrets` are scrubbed from every text as a last line of defence. */
export function toEnvelope(err: unknown, secrets: Iterable<string> = []): ErrorEnvelope {
  const appError = classify(err);
  const envelope: ErrorEnvelope = {
    code: appError.code,
    message: scrub(appError.message, secrets),
    retryable: appError.extra.retryable ?? RETRYABLE.has(appError.code),
  };
  if (appError.extra.status !== undefined) envelope.status = appError.extra.status;
  if (appError.extra.auth0ErrorCode !== undefined) envelope.auth0ErrorCode = appError.extra.auth0ErrorCode;
  if (appError.extra.details !== undefined) envelope.details = scrubDeep(appError.extra.details, secrets);
  return envelope;
}

export function classify(err: unknown): AppError {
  // The SDK wraps what our fetch (the scheduler) throws in its own error, keeping ours as the cause.
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (e instanceof AppError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  const e = err as { statusCode?: unknown; body?: unknown; name?: unknown; message?: unknown };
  if (typeof e?.statusCode === 'number')
    return fromAuth0(e.statusCode, (e.body ?? undefined) as Auth0Body | undefined);
  const codes = causeCode(err);
  if (
    e?.name === 'ManagementTimeoutError' ||
    e?.name === 'AbortError' ||
    e?.name === 'TimeoutError' ||
    TIMEOUT_CODES.test(codes)
  )
    return new AppError('timeout', 'The tenant did not answer in time. Check the network and try again.', {
      retryable: true,
    });
  if (TLS_CODES.test(codes))
    return new AppError(
      'tls',
      'The tenant\u2019s TLS certificate is not trusted. If it is signed by a private CA (the local tenant, or a corporate proxy), attach that CA certificate to the tenant profile.',
    );
  if (NETWORK_CODES.test(codes) || /fetch failed/i.test(codes))
    return new AppError('network', 'The tenant could not be reached. Check the domain and the network.', {
      retryable: true,
    });
  return new AppError('internal', 'Something went wrong inside Tenant Desk.');
}
