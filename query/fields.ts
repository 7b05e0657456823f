// Auth0's search rules per kind of record, in one place: which fields are searched case-insensitively, which word by
// word, what a term without a field searches, where wildcards and ranges are refused, and the keys a record is found
// by. Every backend (the local tenant's in-memory index, bulk edits' filtering of an export, the offline snapshot
// store in SQLite) indexes records with `termsOf` and evaluates queries with `evaluate`, so they cannot disagree.
// Sources: https://auth0.com/docs/manage-users/user-search/user-search-query-syntax and
// https://auth0.com/docs/deploy-monitor/logs/log-search-query-syntax.
import { valueAtPath } from '../preload/contract.js';

export type SearchRecord = Record<string, unknown>;

export interface FieldRules {
  /** The record's own id field (user_id, log_id). */
  readonly idField: string;
  /** Fields whose values are searched case-insensitively (lower-cased when indexed and when queried). */
  readonly caseInsensitive: ReadonlySet<string>;
  /** Fields also indexed word by word, so `name:john` finds "John Smith" and a phrase matches words in order. */
  readonly wordFields: ReadonlySet<string>;
  /** What a term without a field searches. */
  readonly defaultFields: readonly string[];
  /** Top-level scalar fields indexed as they are. */
  readonly topFields: readonly string[];
  /** Arrays of objects whose scalar fields are indexed as `array.field` (identities.connection). */
  readonly nested: Readonly<Record<string, readonly string[]>>;
  /** Objects indexed as dotted paths to every scalar leaf, arrays transparent (app_metadata.plan). */
  readonly deep: readonly string[];
  /** Why a wildcard or a range on this field is refused, or null. */
  refusal(kind: 'wildcard' | 'range', field: string): string | null;
  /** `email:*@domain` answered from a derived `email.domain` key. */
  readonly emailDomain: boolean;
  /** Keys of Tenant Desk's own, beyond Auth0's syntax (only offline snapshots have them: see SNAPSHOT_USER_RULES). */
  readonly extensions?: (record: SearchRecord, emit: (field: string, key: string) => void) => void;
}

const userMetadataRefusal = (kind: 'wildcard' | 'range', field: string) =>
  field === 'user_metadata' || field.startsWith('user_metadata.')
    ? `${kind === 'wildcard' ? 'Wildcard' : 'Range'} queries are not supported on user_metadata fields`
    : null;

export const USER_RULES: FieldRules = {
  idField: 'user_id',
  caseInsensitive: new Set(['email', 'email.domain', 'name', 'given_name', 'family_name', 'nickname']),
  wordFields: new Set(['name', 'given_name', 'family_name', 'nickname']),
  defaultFields: [
    'email',
    'name',
    'given_name',
    'family_name',
    'nickname',
    'username',
    'user_id',
    'phone_number',
  ],
  topFields: [
    'user_id',
    'email',
    'email_verified',
    'username',
    'phone_number',
    'phone_verified',
    'name',
    'given_name',
    'family_name',
    'nickname',
    'created_at',
    'updated_at',
    'last_login',
    'last_ip',
    'logins_count',
    'blocked',
    'organization_id',
    'last_password_reset',
  ],
  nested: { identities: ['connection', 'provider', 'user_id', 'isSocial'] },
  deep: ['app_metadata', 'user_metadata'],
  refusal: userMetadataRefusal,
  emailDomain: true,
};

/**
 * A snapshot's users: Auth0's rules, plus two fields of Tenant Desk's own that Auth0's search does not have — `roles`
 * (the names of the roles a user holds) and `organizations` (the names of their organizations), from a snapshot taken
 * with them (`roles: { <name>: true }`, `organizations: { <name>: { roles } }`). The local tenant and every search of a
 * live tenant keep USER_RULES, so these never leak into Auth0's syntax.
 */
export const SNAPSHOT_USER_RULES: FieldRules = {
  ...USER_RULES,
  extensions(record, emit) {
    for (const field of ['roles', 'organizations'] as const) {
      const held = record[field];
      if (held && typeof held === 'object' && !Array.isArray(held))
        for (const name of Object.keys(held)) if (name) emit(field, name);
    }
  },
};

export const LOG_RULES: FieldRules = {
  idField: 'log_id',
  caseInsensitive: new Set(['description', 'user_name', 'client_name', 'connection', 'strategy']),
  wordFields: new Set(['description']),
  defaultFields: ['description', 'user_name', 'user_id', 'type', 'ip', 'client_name', 'connection'],
  topFields: [
    'log_id',
    'date',
    'type',
    'description',
    'connection',
    'connection_id',
    'client_id',
    'client_name',
    'ip',
    'user_id',
    'user_name',
    'strategy',
    'strategy_type',
    'hostname',
    'audience',
    'scope',
  ],
  nested: {},
  deep: ['details', 'location_info'],
  refusal: () => null,
  emailDomain: false,
};

/** Synthetic fields: every document holding any key of a field exactly, and of a field or any field below it. */
export const HAS = '\u0001has';
export const EXISTS = '\u0001exists';

export function scalarKey(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return null;
}

export function words(lower: string): string[] {
  return lower.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Walks an object to dotted paths of scalar leaves; arrays are transparent; empty values are not indexed. */
function flatten(
  prefix: string,
  value: unknown,
  emit: (field: string, key: string) => void,
  depth = 0,
): void {
  if (depth > 128) return;
  if (Array.isArray(value)) {
    for (const v of value) flatten(prefix, v, emit, depth + 1);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(`${prefix}.${k}`, v, emit, depth + 1);
    return;
  }
  const key = scalarKey(value);
  if (key !== null) emit(prefix, key);
}

/**
 * The keys a record is found by, flattened as [field, key, field, key, …] (no second walk is needed to remove them
 * later, even if the record object changed since): each indexed value, lower-cased where the field is
 * case-insensitive, word by word too where it is a word field, plus the synthetic HAS / EXISTS keys.
 */
export function termsOf(rules: FieldRules, record: SearchRecord): string[] {
  const terms: string[] = [];
  const fields = new Set<string>();
  const emit = (field: string, key: string) => {
    terms.push(field, key);
    fields.add(field);
  };
  for (const f of rules.topFields) {
    const key = scalarKey(record[f]);
    if (key === null) continue;
    if (rules.caseInsensitive.has(f)) {
      const lower = key.toLowerCase();
      emit(f, lower);
      if (rules.wordFields.has(f)) for (const w of new Set(words(lower))) if (w !== lower) emit(f, w);
    } else emit(f, key);
  }
  if (rules.emailDomain && typeof record.email === 'string' && record.email.includes('@'))
    emit('email.domain', record.email.split('@').pop()!.toLowerCase());
  for (const [array, subfields] of Object.entries(rules.nested)) {
    const items = record[array];
    if (!Array.isArray(items)) continue;
    for (const item of items as Record<string, unknown>[])
      for (const f of subfields) {
        const key = scalarKey(item?.[f]);
        if (key !== null) emit(`${array}.${f}`, key);
      }
  }
  for (const f of rules.deep) flatten(f, record[f], emit);
  rules.extensions?.(record, emit);
  const exists = new Set<string>();
  for (const f of fields) {
    terms.push(HAS, f);
    for (let at = f.length; at > 0; at = f.lastIndexOf('.', at - 1)) exists.add(f.slice(0, at));
  }
  for (const f of exists) terms.push(EXISTS, f);
  return terms;
}

/** The value a sort by `field` orders a record by (the first of an array; lower-cased where search is). */
export function sortValue(
  rules: FieldRules,
  record: SearchRecord,
  field: string,
): string | number | boolean | undefined {
  let v = valueAtPath(record, field, 'first');
  if (Array.isArray(v)) v = v[0];
  if (v === null || v === undefined || typeof v === 'object') return undefined;
  return typeof v === 'string' && rules.caseInsensitive.has(field)
    ? v.toLowerCase()
    : (v as string | number | boolean);
}

/** Sort order between two sort values: undefined last whatever the direction, then by document number. */
export function compareSortValues(x: unknown, y: unknown): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const a = String(x);
  const b = String(y);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether every key of a field is a number (then ranges compare numerically). */
export function numericKeys(keys: Iterable<string>): boolean {
  let any = false;
  for (const k of keys) {
    if (k === '' || Number.isNaN(Number(k))) return false;
    any = true;
  }
  return any;
}
