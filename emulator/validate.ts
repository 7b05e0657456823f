// A small JSON-schema subset with z-schema's messages, which is what Auth0's API returns for invalid bodies and
// query strings ("Expected type boolean but found type string", "Additional properties not allowed: foo", ...).
import { errors, type ApiError } from './errors.js';

export type Schema =
  | {
      type: 'string';
      minLength?: number;
      maxLength?: number;
      format?: 'email' | 'uri' | 'organization-name';
      enum?: string[];
      pattern?: RegExp;
      description?: string;
    }
  | { type: 'integer' | 'number'; minimum?: number; maximum?: number; description?: string }
  | { type: 'boolean'; description?: string }
  | { type: 'null' }
  | { type: 'array'; items?: Schema; minItems?: number; maxItems?: number; description?: string }
  | {
      type: 'object';
      properties?: Record<string, Schema>;
      required?: string[];
      additionalProperties?: boolean;
      maxProperties?: number;
      description?: string;
    }
  | { anyOf: Schema[]; description?: string };

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const emailPattern = /^[^\s@]+@[^\s@]+$/;
/** Organization names: lowercase letters, digits, `-` and `_`, starting and ending with a letter or digit. */
const organizationName = /^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$/;

/** One schema violation as z-schema reports it: its error code, its message and where (`a.b[0].c`, '' for the top). */
export interface Violation {
  code: string;
  message: string;
  path: string;
}

/** Every violation (z-schema's default: it does not stop at the first), in the order the keywords are checked. */
export function violations(schema: Schema, value: unknown, path = ''): Violation[] {
  const out: Violation[] = [];
  collect(schema, value, path, out);
  return out;
}

/** The first violation as [message, property path, z-schema code], or null. */
export function check(schema: Schema, value: unknown, path = ''): [string, string, string] | null {
  const [first] = violations(schema, value, path);
  return first ? [first.message, first.path, first.code] : null;
}

function collect(schema: Schema, value: unknown, path: string, out: Violation[]): void {
  const fail = (code: string, message: string, at = path) => out.push({ code, message, path: at });
  if ('anyOf' in schema) {
    if (!schema.anyOf.some((s) => violations(s, value, path).length === 0))
      fail('ANY_OF_MISSING', 'Data does not match any schemas from "anyOf"');
    return;
  }
  const actual = typeOf(value);
  const typeMatches = actual === schema.type || (schema.type === 'number' && actual === 'integer');
  if (!typeMatches) return void fail('INVALID_TYPE', `Expected type ${schema.type} but found type ${actual}`);
  switch (schema.type) {
    case 'string': {
      const s = value as string;
      if (schema.minLength !== undefined && s.length < schema.minLength)
        fail('MIN_LENGTH', `String is too short (${s.length} chars), minimum ${schema.minLength}`);
      if (schema.maxLength !== undefined && s.length > schema.maxLength)
        fail('MAX_LENGTH', `String is too long (${s.length} chars), maximum ${schema.maxLength}`);
      if (schema.enum && !schema.enum.includes(s)) fail('ENUM_MISMATCH', `No enum match for: ${s}`);
      if (schema.format === 'email' && !emailPattern.test(s))
        fail('INVALID_FORMAT', `Object didn't pass validation for format email: ${s}`);
      if (schema.format === 'uri' && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(s))
        fail('INVALID_FORMAT', `Object didn't pass validation for format uri: ${s}`);
      if (schema.format === 'organization-name' && !organizationName.test(s))
        fail('INVALID_FORMAT', `Object didn't pass validation for format organization-name: ${s}`);
      if (schema.pattern && !schema.pattern.test(s))
        fail('PATTERN', `String does not match pattern ${schema.pattern.source}: ${s}`);
      return;
    }
    case 'integer':
    case 'number': {
      const n = value as number;
      if (schema.minimum !== undefined && n < schema.minimum)
        fail('MINIMUM', `Value ${n} is less than minimum ${schema.minimum}`);
      if (schema.maximum !== undefined && n > schema.maximum)
        fail('MAXIMUM', `Value ${n} is greater than maximum ${schema.maximum}`);
      return;
    }
    case 'array': {
      const a = value as unknown[];
      if (schema.minItems !== undefined && a.length < schema.minItems)
        fail('ARRAY_LENGTH_SHORT', `Array is too short (${a.length}), minimum ${schema.minItems}`);
      if (schema.maxItems !== undefined && a.length > schema.maxItems)
        fail('ARRAY_LENGTH_LONG', `Array is too long (${a.length}), maximum ${schema.maxItems}`);
      if (schema.items) for (let i = 0; i < a.length; i++) collect(schema.items, a[i], `${path}[${i}]`, out);
      return;
    }
    case 'object': {
      const o = value as Record<string, unknown>;
      const keys = Object.keys(o);
      if (schema.maxProperties !== undefined && keys.length > schema.maxProperties)
        fail(
          'OBJECT_PROPERTIES_MAXIMUM',
          `Too many properties defined (${keys.length}), maximum ${schema.maxProperties}`,
        );
      for (const key of schema.required ?? [])
        if (o[key] === undefined)
          fail('OBJECT_MISSING_REQUIRED_PROPERTY', `Missing required property: ${key}`);
      if (schema.additionalProperties === false && schema.properties) {
        const extra = keys.filter((k) => !(k in schema.properties!));
        if (extra.length)
          fail('OBJECT_ADDITIONAL_PROPERTIES', `Additional properties not allowed: ${extra.join(',')}`);
      }
      for (const [key, s] of Object.entries(schema.properties ?? {})) {
        if (o[key] === undefined) continue;
        collect(s, o[key], path ? `${path}.${key}` : key, out);
      }
      return;
    }
    default:
      return;
  }
}

export function validateBody(schema: Schema, body: unknown): void {
  const r = check(schema, body);
  if (r) throw errors.payload(r[0], r[1] || undefined);
}

/** Query parameters arrive as strings: coerce per schema (like hapi/joi), then validate with Auth0's query texts. */
export function parseQueryParams(
  schema: { type: 'object'; properties: Record<string, Schema>; additionalProperties?: boolean },
  query: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(query)) {
    const s = schema.properties[key];
    if (!s) {
      if (schema.additionalProperties === false)
        throw queryError(`Additional properties not allowed: ${key}`, key);
      continue;
    }
    let value: unknown = raw;
    const type = 'type' in s ? s.type : undefined;
    if (type !== 'array' && Array.isArray(raw)) value = raw[raw.length - 1];
    if (type === 'integer' || type === 'number') {
      value = value === '' ? value : /^-?\d+(\.\d+)?$/.test(String(value)) ? Number(value) : value;
    } else if (type === 'boolean') {
      value = value === 'true' ? true : value === 'false' ? false : value;
    } else if (type === 'array') {
      value = Array.isArray(raw) ? raw : [raw];
    }
    const r = check(s, value, key);
    if (r) throw queryError(r[0], key, 'description' in s ? s.description : undefined);
    out[key] = value;
  }
  return out;
}

function queryError(detail: string, property: string, description?: string): ApiError {
  return errors.query(detail, property, description);
}

/** How deep Auth0's store nests a document (MongoDB's BSON limit, which its "." and "$" key rules come from). */
export const MAX_BODY_DEPTH = 100;

/** Whether a parsed body nests deeper than MAX_BODY_DEPTH, walked without recursion. */
export function tooDeep(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > MAX_BODY_DEPTH) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
