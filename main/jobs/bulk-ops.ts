// A bulk change in words, and a plan line's write as its operation (operations/) reads it — including the lines of
// jobs planned by an earlier version, which named the write differently.
import { BULK_CHANGES, type BulkChange } from '../../preload/contract.js';
import type { OpCall } from '../operations/operation.js';
import { operationNamed } from '../operations/registry.js';

/** The change in words, for lists, audit and previews. */
export function describeChange(
  change: BulkChange,
  roleNames: (id: string) => string = (id) => id,
  orgNames: (id: string) => string = (id) => id,
): string {
  switch (change.kind) {
    case 'org-add':
      return `add to organization ${orgNames(change.orgId)}`;
    case 'org-remove':
      return `remove from organization ${orgNames(change.orgId)}`;
    case 'org-roles':
      return [
        ...change.add.map((r) => `give organization role ${roleNames(r)} in ${orgNames(change.orgId)}`),
        ...change.remove.map((r) => `take organization role ${roleNames(r)} in ${orgNames(change.orgId)}`),
      ].join('; ');
    case 'metadata': {
      const parts = [
        ...Object.entries(change.set).map(([k, v]) => `set ${change.metadata}.${k} = ${JSON.stringify(v)}`),
        ...change.remove.map((k) => `remove ${change.metadata}.${k}`),
      ];
      return parts.join('; ');
    }
    case 'roles':
      return [
        ...change.add.map((r) => `add role ${roleNames(r)}`),
        ...change.remove.map((r) => `remove role ${roleNames(r)}`),
      ].join('; ');
    case 'password-link':
      return `create password-change links (valid ${Math.round(change.ttlSec / 3600)} h)`;
    default: {
      // A change with no parameters says what it does in its contract label ("Block" → "block").
      const label: string = BULK_CHANGES[change.kind].label;
      return label[0]!.toLowerCase() + label.slice(1);
    }
  }
}

/**
 * A plan line's write as an operation call. Lines planned by an earlier version held `{ op: 'metadata', … }` with
 * what the plan saw in the line's before-state: they are read as the same operation with the same check.
 */
export function callOf(op: unknown, before: unknown): OpCall {
  const o = (op ?? {}) as Record<string, unknown>;
  if (typeof o.name === 'string' && o.params && typeof o.params === 'object') {
    const call = o as unknown as OpCall;
    const known = operationNamed(call.name);
    if (!known?.bulk) throw new Error(`A plan line names an operation bulk jobs don't run: ${call.name}`);
    const parsed = known.bulk.params.safeParse(call.params);
    if (!parsed.success)
      throw new Error(`A plan line's ${call.name} is not as planned: ${parsed.error.message}`);
    return { name: known.name, params: parsed.data };
  }
  const b = (before ?? {}) as Record<string, unknown>;
  switch (o.op) {
    case 'metadata':
      return { name: 'user.update-metadata', params: { kind: o.kind, changes: o.changes, expected: b } };
    case 'roles':
      return {
        name: 'user.change-roles',
        params: { add: o.add, remove: o.remove, expected: (b.roles as string[] | undefined) ?? [] },
      };
    case 'set-blocked':
      return { name: 'user.set-blocked', params: { blocked: o.blocked, expected: !o.blocked } };
    case 'email-verified':
      return { name: 'user.set-email-verified', params: { value: o.value, expected: !o.value } };
    case 'brute-force-unblock':
      return { name: 'user.unblock-brute-force', params: {} };
    case 'verification-email':
      return { name: 'user.send-verification-email', params: {} };
    case 'mfa-reset':
      return { name: 'user.mfa-reset', params: {} };
    case 'forget-browsers':
      return { name: 'user.invalidate-remember-browser', params: {} };
    case 'password-link':
      return {
        name: 'user.password-ticket',
        params: { ttlSec: o.ttlSec, ...(o.resultUrl ? { resultUrl: o.resultUrl } : {}) },
      };
    case 'delete':
      return { name: 'user.delete', params: {} };
    default:
      throw new Error(
        `A plan line holds a write Tenant Desk does not know: ${JSON.stringify(o).slice(0, 80)}`,
      );
  }
}
