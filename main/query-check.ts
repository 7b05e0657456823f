// A query of Auth0's syntax checked in main before anything is sent or applied: its error in words, with Auth0's
// error code, as the tenant would give it (exports, bulk plans, log reads).
import { parseQuery, QueryError } from '../query/index.js';
import { AppError } from './errors.js';

export function queryError(err: QueryError): AppError {
  return new AppError('invalid_query', err.message, { status: 400, auth0ErrorCode: err.errorCode });
}

/** Throws the query's error as an invalid_query AppError; an empty query (every user or event) passes. */
export function checkQuery(q: string): void {
  try {
    parseQuery(q);
  } catch (err) {
    if (err instanceof QueryError) throw queryError(err);
    throw err;
  }
}
