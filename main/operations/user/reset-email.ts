// Sending a user Auth0's password reset email, through the tenant's Authentication API (its own rate limit). Each
// send is another email: never repeated blindly, nothing to read back.
import { channels, type Auth0User, type ChannelParsedInput } from '../../../preload/contract.js';
import { AppError } from '../../errors.js';
import { withRequestPolicy } from '../../scheduler/rate-scheduler.js';
import { asUser } from '../../users/user-reads.js';
import { operation } from '../operation.js';
import { databaseIdentity } from './password.js';

export const resetEmail = operation<ChannelParsedInput<'users:reset-email'>, Auth0User, { sentTo: string }>({
  name: 'user.reset-email',
  input: channels['users:reset-email'].input,
  risk: 'users:reset-email',
  needs: 'users:reset-email',
  action: 'user.reset-email',
  target: (i) => i.userId,
  mayRepeat: false,
  async before({ management }, input) {
    const user = asUser(await management.users.get(input.userId));
    databaseIdentity(user);
    if (!user.email)
      throw new AppError('validation', 'This user has no email address to send the reset link to.');
    return user;
  },
  async apply({ connection, profile }, _input, user) {
    const identity = databaseIdentity(user);
    const res = await withRequestPolicy({ bucket: 'authentication' }, () =>
      connection.scheduler.fetch(`https://${profile.domain}/dbconnections/change_password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_id: profile.clientId,
          email: user.email,
          connection: identity.connection,
        }),
      }),
    );
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: string; error_description?: string };
      throw new AppError(
        'auth0_error',
        `The tenant refused to send the reset email: ${body.error_description ?? body.error ?? res.status}`,
        { status: res.status },
      );
    }
    await res.arrayBuffer();
    return { sentTo: user.email! };
  },
  audit: { after: (r) => r },
  readBack: { cannot: 'an email sent leaves nothing to read back: ask the user whether it arrived' },
});
