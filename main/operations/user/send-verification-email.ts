// Sending a user the email that verifies their address. Each send is another email: never repeated blindly, and
// nothing to read back afterwards.
import { z } from 'zod';
import { channels, type ChannelParsedInput } from '../../../preload/contract.js';
import { operation } from '../operation.js';
import { hasDatabaseIdentity, viaProvider } from './password.js';

export const sendVerificationEmail = operation<
  ChannelParsedInput<'users:send-verification-email'>,
  undefined,
  { jobId: string }
>({
  name: 'user.send-verification-email',
  input: channels['users:send-verification-email'].input,
  risk: 'users:send-verification-email',
  needs: 'jobs:verification-email',
  action: 'user.send-verification-email',
  target: (i) => i.userId,
  mayRepeat: false,
  async apply({ management }, input) {
    const job = await management.jobs.verificationEmail.create({ user_id: input.userId });
    return { jobId: String(job.id) };
  },
  audit: { after: (r) => r },
  readBack: { cannot: 'an email sent leaves nothing to read back: ask the user whether it arrived' },
  bulk: {
    kinds: ['verification-email'],
    params: z.object({}).strict(),
    plan(_change, user) {
      if (!user.email) return { op: null, note: 'has no email' };
      if (user.email_verified) return { op: null, note: 'already verified' };
      if (!hasDatabaseIdentity(user)) return { op: null, note: viaProvider(user) };
      return { op: { name: 'user.send-verification-email', params: {} } };
    },
    after: (r) => r,
  },
});
