// Lifting the blocks Auth0's brute-force protection put on a user (per IP). A bulk job skips a user with none.
import { z } from 'zod';
import { channels, type ChannelParsedInput } from '../../../preload/contract.js';
import { operation } from '../operation.js';

type Blocks = { identifier: string }[];

export const unblockBruteForce = operation<
  ChannelParsedInput<'users:unblock-brute-force'>,
  Blocks,
  { ok: true }
>({
  name: 'user.unblock-brute-force',
  input: channels['users:unblock-brute-force'].input,
  risk: 'users:unblock-brute-force',
  needs: 'users:block',
  action: 'user.unblock-brute-force',
  target: (i) => i.userId,
  mayRepeat: true,
  before: async ({ management }, input) =>
    ((await management.userBlocks.list(input.userId)).blocked_for ?? []) as Blocks,
  async apply({ management }, input) {
    await management.userBlocks.delete(input.userId);
    return { ok: true };
  },
  audit: { before: (blocks) => ({ blocked_for: blocks }) },
  async readBack({ management }, entry) {
    const blocks = (await management.userBlocks.list(entry.target!)).blocked_for ?? [];
    return blocks.length === 0 ? { resolution: 'applied' } : { resolution: 'not-applied' };
  },
  bulk: {
    kinds: ['brute-force-unblock'],
    params: z.object({}).strict(),
    plan: () => ({ op: { name: 'user.unblock-brute-force', params: {} } }),
    skipIf: (blocks) => (blocks.length ? null : 'no brute-force block'),
  },
});
