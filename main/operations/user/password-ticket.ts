// A password-change link for a user. The link lets anyone set the password: it is shown once (or put in a bulk job's
// results file, kept in memory until then), never written to the audit log or a journal. Each call mints another
// working link, so it is never repeated blindly, and nothing can be read back afterwards.
import { z } from 'zod';
import { channels, type ChannelParsedInput } from '../../../preload/contract.js';
import { operation } from '../operation.js';
import { hasDatabaseIdentity, viaProvider } from './password.js';

type Input = Omit<ChannelParsedInput<'users:password-ticket'>, 'markEmailVerified'> & {
  markEmailVerified?: boolean;
};

export const passwordTicket = operation<Input, undefined, { ticket: string; expiresAt: string }>({
  name: 'user.password-ticket',
  input: channels['users:password-ticket'].input,
  risk: 'users:password-ticket',
  needs: 'tickets:password-change',
  action: 'user.password-ticket',
  target: (i) => i.userId,
  mayRepeat: false,
  async apply({ management }, input) {
    const r = await management.tickets.changePassword({
      user_id: input.userId,
      ttl_sec: input.ttlSec,
      mark_email_as_verified: input.markEmailVerified ?? false,
      ...(input.resultUrl ? { result_url: input.resultUrl } : {}),
    });
    return { ticket: String(r.ticket), expiresAt: new Date(Date.now() + input.ttlSec * 1000).toISOString() };
  },
  // Only when it expires is recorded.
  audit: { after: (r) => ({ expiresAt: r.expiresAt }) },
  readBack: { cannot: 'a link made leaves nothing to read back (it was never shown): make a new one' },
  bulk: {
    kinds: ['password-link'],
    params: z
      .object({ ttlSec: z.number().int(), resultUrl: z.string().optional() })
      .strict() as unknown as z.ZodType<Record<string, unknown>>,
    plan(change, user) {
      if (change.kind !== 'password-link') throw new Error(`not a password-link change: ${change.kind}`);
      if (!hasDatabaseIdentity(user)) return { op: null, note: `password: ${viaProvider(user)}` };
      return {
        op: {
          name: 'user.password-ticket',
          params: { ttlSec: change.ttlSec, ...(change.resultUrl ? { resultUrl: change.resultUrl } : {}) },
        },
      };
    },
    after: (r) => r && { expiresAt: r.expiresAt },
    credential: (r) => r,
  },
});
