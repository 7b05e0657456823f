// Deleting a user. It can't be undone, so the whole user as it was stays on record (in the audit log, and in a bulk
// job's plan, from which "save the users as JSON" is offered first).
import { z } from 'zod';
import { channels, type Auth0User, type ChannelParsedInput } from '../../../preload/contract.js';
import { asUser } from '../../users/user-reads.js';
import { operation } from '../operation.js';
import { readBackDeleted } from '../read-back.js';

export const deleteUser = operation<ChannelParsedInput<'users:delete'>, Auth0User, { userId: string }>({
  name: 'user.delete',
  input: channels['users:delete'].input,
  risk: 'users:delete',
  needs: 'users:delete',
  action: 'user.delete',
  target: (i) => i.userId,
  mayRepeat: true,
  // An unknown user is an error here (Auth0 itself answers 204), so a typo never looks like a deletion.
  before: async ({ management }, input) => asUser(await management.users.get(input.userId)),
  async apply({ management }, input) {
    await management.users.delete(input.userId);
    return { userId: input.userId };
  },
  audit: { before: (user) => user },
  readBack: ({ management }, entry) => readBackDeleted(management, entry),
  bulk: {
    kinds: ['delete'],
    params: z.object({}).strict(),
    plan: (_change, user) => ({ op: { name: 'user.delete', params: {} }, before: user }),
    // The user as planned is what the audit keeps: it is not read again.
    beforeFromPlan: (line) => asUser(line.b ?? {}),
    after: () => ({ deleted: true }),
  },
});
