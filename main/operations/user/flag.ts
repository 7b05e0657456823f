// A boolean of the user (blocked, email_verified): what the two operations that set one share. From a bulk plan the
// write carries the value the plan saw, and a user already as asked is skipped, never written again; undo sets the
// value back unless the user changed since the job.
import { z } from 'zod';
import type { Auth0User } from '../../../preload/contract.js';
import { SkipWrite, type BulkPart, type ItemPlan } from '../operation.js';

export interface FlagInput {
  tenantId: string;
  userId: string;
  /** From a bulk plan: the value it saw; a user found as asked already is skipped. */
  expected?: boolean;
}

export const flagParams = (field: string) =>
  z.object({ [field]: z.boolean(), expected: z.boolean() }).strict() as unknown as z.ZodType<
    Record<string, unknown>
  >;

/** The before-read: the user, or a skip where a job finds it already as asked. */
export function flagBefore(
  user: Auth0User,
  field: 'blocked' | 'email_verified',
  asked: boolean,
  expected: boolean | undefined,
): Auth0User {
  const now = (user[field] as boolean | undefined) ?? false;
  if (expected !== undefined && now === asked)
    throw new SkipWrite(`already as asked (${field} is ${now} on the tenant since the plan)`, {
      [field]: now,
    });
  return user;
}

/** What a job's journal keeps of the user after the write. */
export const flagAfter = (field: 'blocked' | 'email_verified') => (user: Auth0User | undefined) =>
  user && { [field]: (user[field] as boolean | undefined) ?? false, updated_at: user.updated_at };

/** The undo of a flag set by a job: the other value, unless the user changed since. */
export function flagInverse(
  name: string,
  param: 'blocked' | 'value',
  field: 'blocked' | 'email_verified',
): NonNullable<BulkPart<never, never, never>['inverse']> {
  return (call, _before, after, now): ItemPlan => {
    if (!now.user) return { op: null, note: 'no longer exists' };
    const a = (after ?? {}) as Record<string, unknown>;
    if (a.updated_at !== undefined && now.user.updated_at !== a.updated_at)
      return { op: null, note: `changed since the job (updated ${now.user.updated_at})` };
    const value = call.params[param] as boolean;
    return {
      op: { name, params: { [param]: !value, expected: value } },
      before: { [field]: value },
      after: { [field]: !value },
    };
  };
}
