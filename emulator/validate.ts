// A small JSON-schema subset with z-schema's messages, which is what Auth0's API returns for invalid bodies and
// query strings ("Expected type boolean but found type string", "Additional properties not allowed: foo", ...).
import { errors, type ApiError } from './errors.js';

export type Schema =
  | {
      type: 'string';
      minLength?: number;
      maxLength?: number;
      format?: 'email' | 'uri';
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

/** Returns the first violation as [detail, property path] or null. */
export function check(schema: Schema, value: unknown, path = ''): [string, string] | null {
  if ('anyOf' in schema) {
    for (const s of schema.anyOf) if (!check(s, value, path)) return null;
    return ['Data does not match any schemas from "anyOf"', path];
  }
  const actual = typeOf(value);
  const typeMatches = actual === schema.type || (schema.type === 'number' && actual === 'integer');
  if (!typeMatches) return [`Expected type ${schema.type} but found type ${actual}`, path];
  switch (schema.type) {
    case 'string': {
      const s = value as string;
      if (schema.minLength !== undefined && s.length < schema.minLength)
        return [`String is too short (${s.length} chars), minimum ${schema.minLength}`, path];
      if (schema.maxLength !== undefined && s.length > schema.maxLength)
        return [`String is too long (${s.length} chars), maximum ${schema.maxLength}`, path];
      if (schema.enum && !schema.enum.includes(s)) return [`No enum match for: ${s}`, path];
      if (schema.format === 'email' && !emailPattern.test(s))
        return [`Object didn't pass validation for format email: ${s}`, path];
      if (schema.format === 'uri' && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(s))
        return [`Object didn't pass validation for format uri: ${s}`, path];
      if (schema.pattern && !schema.pattern.test(s))
        return [`String does not match pattern ${schema.pattern.source}: ${s}`, path];
      return null;
    }
    case 'integer':
    case 'number': {
      const n = value as number;
      if (schema.minimum !== undefined && n < schema.minimum)
        return [`Value ${n} is less than minimum ${schema.minimum}`, path];
      if (schema.maximum !== undefined && n > schema.maximum)
        return [`Value ${n} is greater than maximum ${schema.maximum}`, path];
      return null;
    }
    case 'array': {
      const a = value as unknown[];
      if (schema.minItems !== undefined && a.length < schema.minItems)
        return [`Array is too short (${a.length}), minimum ${schema.minItems}`, path];
      if (schema.maxItems !== undefined && a.length > schema.maxItems)
        return [`Array is too long (${a.length}), maximum ${schema.maxItems}`, path];
      if (schema.items) {
        for (let i = 0; i < a.length; i++) {
          const r = check(schema.items, a[i], `${path}[${i}]`);
          if (r) return r;
        }
      }
      return null;
    }
    case 'object': {
      const o = value as Record<string, unknown>;
      for (const key of schema.required ?? []) {
        if (o[key] === undefined) return [`Missing required property: ${key}`, path];
      }
      if (schema.additionalProperties === false && schema.properties) {
        const extra = Object.keys(o).filter((k) => !(k in schema.properties!));
        if (extra.length) return [`Additional properties not allowed: ${extra.join(',')}`, path];
      }
      for (const [key, s] of Object.entries(schema.properties ?? {})) {
        if (o[key] === undefined) continue;
        const r = check(s, o[key], path ? `${path}.${key}` : key);
        if (r) return r;
      }
      return null;
    }
    default:
      return null;
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
