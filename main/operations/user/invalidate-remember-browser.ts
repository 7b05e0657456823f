// Forgetting the browsers a user told MFA to remember, so each asks for a second factor again. Nothing to read back.
import { z } from 'zod';
import { channels, type ChannelParsedInput } from '../../../preload/contract.js';
import { operation } from '../operation.js';

export const invalidateRememberBrowser = operation<
  ChannelParsedInput<'users:invalidate-remember-browser'>,
  undefined,
  { ok: true }
>({
  name: 'user.invalidate-remember-browser',
  input: channels['users:invalidate-remember-browser'].input,
  risk: 'users:invalidate-remember-browser',
  needs: 'users:forget-browsers',
  action: 'user.invalidate-remember-browser',
  target: (i) => i.userId,
  mayRepeat: true,
  async apply({ management }, input) {
    await management.users.multifactor.invalidateRememberBrowser(input.userId);
    return { ok: true };
  },
  readBack: { cannot: 'forgotten browsers leave nothing to read back: do it again if unsure' },
  bulk: {
    kinds: ['forget-browsers'],
    params: z.object({}).strict(),
    plan: () => ({ op: { name: 'user.invalidate-remember-browser', params: {} } }),
  },
});
