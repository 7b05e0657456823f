// Auth0's search syntax, one module for the whole project: the parser (with its limits), the field rules, the
// evaluator, and the in-memory index. The local tenant, bulk selections, exports and offline snapshots all use this,
// never a copy.
export { MAX_QUERY_CLAUSES, MAX_QUERY_DEPTH, parseQuery, QueryError, type QueryNode } from './parser.js';
export {
  EXISTS,
  HAS,
  LOG_RULES,
  USER_RULES,
  SNAPSHOT_USER_RULES,
  compareSortValues,
  numericKeys,
  sortValue,
  termsOf,
  words,
  type FieldRules,
  type SearchRecord,
} from './fields.js';
export { evaluate, inRange, type Postings, type RangeBounds } from './evaluate.js';
export { RecordIndex, UserIndex, parse, parseSort } from './record-index.js';
export { Bitset } from './bitset.js';
export { globMatcher } from './glob.js';

/** A user as the indexes store it. */
export type StoredUser = Record<string, unknown>;
