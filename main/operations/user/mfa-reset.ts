// Removing every MFA factor of a user, so that they enrol again at their next login. A bulk job skips a user with none.
import { z } from 'zod';
import { channels, type ChannelParsedInput, type MfaState } from '../../../preload/contract.js';
import { readMfa } from '../../users/user-reads.js';
import { operation } from '../operation.js';

export const mfaReset = operation<ChannelParsedInput<'users:mfa-reset'>, MfaState, MfaState>({
  name: 'user.mfa-reset',
  input: channels['users:mfa-reset'].input,
  risk: 'users:mfa-reset',
  needs: 'mfa:reset',
  action: 'user.mfa-reset',
  target: (i) => i.userId,
  mayRepeat: true,
  before: ({ management }, input) => readMfa(management, input.userId),
  async apply({ management }, input) {
    await management.users.authenticationMethods.deleteAll(input.userId);
    return readMfa(management, input.userId);
  },
  audit: {
    before: (mfa) => ({ methods: mfa.authenticationMethods.map((m) => ({ id: m.id, type: m.type })) }),
  },
  async readBack({ management }, entry) {
    const mfa = await readMfa(management, entry.target!);
    return mfa.authenticationMethods.length === 0 ? { resolution: 'applied' } : { resolution: 'not-applied' };
  },
  bulk: {
    kinds: ['mfa-reset'],
    params: z.object({}).strict(),
    plan: () => ({ op: { name: 'user.mfa-reset', params: {} } }),
    skipIf: (mfa) => (mfa.authenticationMethods.length ? null : 'no MFA factors'),
  },
});
