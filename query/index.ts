// Auth0's user search syntax, one module for the whole project: the parser (with its limits) and the index that
// evaluates it. The local tenant, bulk selections and (later) offline snapshots all use this, never a copy.
export { MAX_QUERY_CLAUSES, MAX_QUERY_DEPTH, parseQuery, QueryError, type QueryNode } from './parser.js';
export { UserIndex, type StoredUser } from './user-index.js';
export { globMatcher } from './glob.js';
