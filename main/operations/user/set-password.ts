// Setting a user's password. The password is never recorded anywhere: a new one shows as a later
// last_password_reset, which is what a read-back compares.
import { channels, type Auth0User, type ChannelParsedInput } from '../../../preload/contract.js';
import { asUser } from '../../users/user-reads.js';
import { operation } from '../operation.js';
import { userOrNull } from '../read-back.js';
import { databaseIdentity } from './password.js';

export const setPassword = operation<ChannelParsedInput<'users:set-password'>, Auth0User, Auth0User>({
  name: 'user.set-password',
  input: channels['users:set-password'].input,
  risk: 'users:set-password',
  needs: 'users:update',
  action: 'user.set-password',
  target: (i) => i.userId,
  // The same password set twice is the same password.
  mayRepeat: true,
  async before({ management }, input) {
    const user = asUser(await management.users.get(input.userId));
    databaseIdentity(user);
    return user;
  },
  apply: async ({ management }, input, user) =>
    asUser(
      await management.users.update(input.userId, {
        password: input.password,
        connection: databaseIdentity(user).connection,
      }),
    ),
  audit: { before: (user) => ({ last_password_reset: user.last_password_reset ?? null }) },
  async readBack({ management }, entry) {
    const user = await userOrNull(management, entry.target!);
    if (!user) return { resolution: 'unknown', detail: 'the user no longer exists' };
    const before = (entry.before as { last_password_reset?: string | null } | undefined)?.last_password_reset;
    const now = user.last_password_reset;
    return now && now !== before ? { resolution: 'applied' } : { resolution: 'not-applied' };
  },
});
