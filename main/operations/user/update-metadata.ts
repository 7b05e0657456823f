// Metadata (Auth0's first-level merge: null removes a key). From the user panel it is refused when the user changed
// since it was shown; in a bulk job each key is checked against the value the plan saw, and a key changed since is
// never overwritten. Undone by setting each key back to its value before.
import { z } from 'zod';
import {
  channels,
  type Auth0User,
  type ChannelParsedInput,
  type MetadataKind,
} from '../../../preload/contract.js';
import { asUser } from '../../users/user-reads.js';
import { operation, SkipWrite } from '../operation.js';
import { deepEqual, ownValues, readBackMetadata } from '../read-back.js';
import { shown, staleEdit } from './stale.js';

type Input = Omit<ChannelParsedInput<'users:update-metadata'>, 'expectedUpdatedAt'> & {
  /** From the window: updated_at of the user as shown. */
  expectedUpdatedAt?: string;
  /** From a bulk plan: each changed key's value when planned (null: absent). */
  expected?: Record<string, unknown>;
};

const changedSince = (now: Auth0User, after: Record<string, unknown>) =>
  after.updated_at !== undefined && now.updated_at !== after.updated_at;

export const updateMetadata = operation<Input, Auth0User, Auth0User>({
  name: 'user.update-metadata',
  input: channels['users:update-metadata'].input,
  risk: 'users:update-metadata',
  needs: 'users:update',
  action: (i) => `user.update-${i.kind.replace('_', '-')}`,
  target: (i) => i.userId,
  // A first-level merge of the same keys and values leaves the same result however often it is applied.
  mayRepeat: true,
  async before({ management }, input) {
    const user = asUser(await management.users.get(input.userId));
    if (input.expected) {
      const keys = Object.keys(input.changes);
      const now = ownValues(user[input.kind], keys);
      const expected = input.expected;
      // Overwriting is refused only where the value is neither what the plan saw nor what it asks for.
      const changed = keys.filter(
        (k) => !deepEqual(now[k], expected[k] ?? null) && !deepEqual(now[k], input.changes[k]),
      );
      if (changed.length)
        throw new SkipWrite(
          `changed since the plan: ${changed
            .map((k) => `${input.kind}.${k} was ${shown(expected[k])} when planned, is ${shown(now[k])} now`)
            .join('; ')} \u2014 not overwritten`,
          { values: now },
        );
      if (keys.every((k) => deepEqual(now[k], input.changes[k])))
        throw new SkipWrite('already as asked (changed on the tenant since the plan)', { values: now });
      return user;
    }
    const stale = staleEdit(user, input.expectedUpdatedAt ?? '', { [input.kind]: user[input.kind] ?? {} });
    if (stale) throw stale;
    return user;
  },
  apply: async ({ management }, input) =>
    asUser(await management.users.update(input.userId, { [input.kind]: input.changes })),
  audit: {
    // From the window: the whole object as it was, so that any write — even one that removed every key — can be
    // undone from here. In a job: the changed keys' values (the job's journal holds the rest).
    before: (user, input) =>
      input.expected
        ? ownValues(user[input.kind], Object.keys(input.changes))
        : { [input.kind]: user[input.kind] ?? {}, updated_at: user.updated_at },
    after: (user, input) =>
      input.expected
        ? {
            updated_at: user.updated_at,
            [input.kind]: ownValues(user[input.kind], Object.keys(input.changes)),
          }
        : { changes: input.changes, [input.kind]: user[input.kind] ?? {} },
  },
  intent: (input, user) => ({
    kind: input.kind,
    changes: input.changes,
    before: user ? ownValues(user[input.kind], Object.keys(input.changes)) : input.expected,
  }),
  readBack: ({ management }, entry) => readBackMetadata(management, entry),
  bulk: {
    kinds: ['metadata'],
    params: z
      .object({
        kind: z.enum(['user_metadata', 'app_metadata']),
        changes: z.record(z.string(), z.unknown()),
        expected: z.record(z.string(), z.unknown()),
      })
      .strict(),
    plan(change, user) {
      if (change.kind !== 'metadata') throw new Error(`not a metadata change: ${change.kind}`);
      const current = (user[change.metadata] ?? {}) as Record<string, unknown>;
      const changes: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(change.set)) if (!deepEqual(current[k], v)) changes[k] = v;
      for (const k of change.remove) if (k in current) changes[k] = null;
      const keys = Object.keys(changes);
      if (keys.length === 0) return { op: null, note: 'already as asked' };
      const before = Object.fromEntries(keys.map((k) => [k, k in current ? current[k] : null]));
      return {
        op: { name: 'user.update-metadata', params: { kind: change.metadata, changes, expected: before } },
        before,
        after: changes,
      };
    },
    after: (user, input) =>
      user && {
        updated_at: user.updated_at,
        values: Object.fromEntries(
          Object.keys(input.changes).map((k) => [k, (user[input.kind] ?? {})[k] ?? null]),
        ),
      },
    inverse(call, before, after, now) {
      if (!now.user) return { op: null, note: 'no longer exists' };
      const { kind, changes } = call.params as { kind: MetadataKind; changes: Record<string, unknown> };
      const b = (before ?? {}) as Record<string, unknown>;
      const a = (after ?? {}) as Record<string, unknown>;
      if (changedSince(now.user, a))
        return { op: null, note: `changed since the job (updated ${now.user.updated_at})` };
      const was = (a.values ?? changes) as Record<string, unknown>;
      return {
        op: {
          name: 'user.update-metadata',
          params: {
            kind,
            changes: Object.fromEntries(Object.keys(changes).map((k) => [k, b[k] ?? null])),
            expected: was,
          },
        },
        before: was,
        after: b,
      };
    },
  },
});
