// Marking a user's email verified (and, to undo a job that did, unverified again).
import { channels, type Auth0User, type ChannelParsedInput } from '../../../preload/contract.js';
import { asUser } from '../../users/user-reads.js';
import { operation } from '../operation.js';
import { readBackFields } from '../read-back.js';
import { flagAfter, flagBefore, flagInverse, flagParams, type FlagInput } from './flag.js';

type Input = ChannelParsedInput<'users:set-email-verified'> &
  FlagInput & {
    /** The window only marks verified; undoing a job marks unverified again. */
    value?: boolean;
  };

const asked = (i: Input) => i.value ?? true;

export const setEmailVerified = operation<Input, Auth0User, Auth0User>({
  name: 'user.set-email-verified',
  input: channels['users:set-email-verified'].input,
  risk: 'users:set-email-verified',
  needs: 'users:update',
  action: (i) => (asked(i) ? 'user.mark-email-verified' : 'user.mark-email-unverified'),
  target: (i) => i.userId,
  mayRepeat: true,
  before: async ({ management }, input) =>
    flagBefore(
      asUser(await management.users.get(input.userId)),
      'email_verified',
      asked(input),
      input.expected,
    ),
  apply: async ({ management }, input) =>
    asUser(await management.users.update(input.userId, { email_verified: asked(input) })),
  audit: {
    before: (user, input) =>
      input.expected !== undefined
        ? { email_verified: user.email_verified ?? false, updated_at: user.updated_at }
        : { email: user.email, email_verified: user.email_verified ?? false },
    after: (user, input) => ({
      email_verified: user.email_verified ?? false,
      ...(input.expected !== undefined ? { updated_at: user.updated_at } : {}),
    }),
  },
  intent: (input, user) => ({
    fields: { email_verified: asked(input) },
    before: { email_verified: user ? (user.email_verified ?? false) : (input.expected ?? !asked(input)) },
  }),
  readBack: ({ management }, entry) => readBackFields(management, entry),
  bulk: {
    kinds: ['mark-verified'],
    params: flagParams('value'),
    plan(_change, user) {
      if (!user.email) return { op: null, note: 'has no email' };
      if (user.email_verified) return { op: null, note: 'already verified' };
      return {
        op: { name: 'user.set-email-verified', params: { value: true, expected: false } },
        before: { email_verified: false, updated_at: user.updated_at },
        after: { email_verified: true },
      };
    },
    after: flagAfter('email_verified'),
    inverse: flagInverse('user.set-email-verified', 'value', 'email_verified'),
  },
});
