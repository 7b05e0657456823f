// Blocking and unblocking a user (blocking is the riskier: on production the domain is typed back).
import { channels, type Auth0User, type ChannelParsedInput } from '../../../preload/contract.js';
import { asUser } from '../../users/user-reads.js';
import { operation } from '../operation.js';
import { readBackFields } from '../read-back.js';
import { flagAfter, flagBefore, flagInverse, flagParams, type FlagInput } from './flag.js';

type Input = ChannelParsedInput<'users:set-blocked'> & FlagInput;

export const setBlocked = operation<Input, Auth0User, Auth0User>({
  name: 'user.set-blocked',
  input: channels['users:set-blocked'].input,
  risk: 'users:set-blocked',
  needs: 'users:block',
  action: (i) => (i.blocked ? 'user.block' : 'user.unblock'),
  target: (i) => i.userId,
  mayRepeat: true,
  before: async ({ management }, input) =>
    flagBefore(asUser(await management.users.get(input.userId)), 'blocked', input.blocked, input.expected),
  apply: async ({ management }, input) =>
    asUser(await management.users.update(input.userId, { blocked: input.blocked })),
  audit: {
    before: (user, input) => ({
      blocked: user.blocked ?? false,
      ...(input.expected !== undefined ? { updated_at: user.updated_at } : {}),
    }),
    after: (user, input) => ({
      blocked: user.blocked ?? false,
      ...(input.expected !== undefined ? { updated_at: user.updated_at } : {}),
    }),
  },
  intent: (input, user) => ({
    fields: { blocked: input.blocked },
    before: { blocked: user ? (user.blocked ?? false) : (input.expected ?? !input.blocked) },
  }),
  readBack: ({ management }, entry) => readBackFields(management, entry),
  bulk: {
    kinds: ['block', 'unblock'],
    params: flagParams('blocked'),
    plan(change, user) {
      const blocked = change.kind === 'block';
      if ((user.blocked ?? false) === blocked)
        return { op: null, note: blocked ? 'already blocked' : 'not blocked' };
      return {
        op: { name: 'user.set-blocked', params: { blocked, expected: !blocked } },
        before: { blocked: user.blocked ?? false, updated_at: user.updated_at },
        after: { blocked },
      };
    },
    after: flagAfter('blocked'),
    inverse: flagInverse('user.set-blocked', 'blocked', 'blocked'),
  },
});
