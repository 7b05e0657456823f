// Creating a user in a database connection. Safe to repeat: a retried create that meets 409 is checked against the
// user it may itself have made.
import {
  channels,
  passwordProblem,
  type Auth0User,
  type ChannelParsedInput,
} from '../../../preload/contract.js';
import { AppError } from '../../errors.js';
import { asUser, readConnections } from '../../users/user-reads.js';
import { operation, type TenantApi } from '../operation.js';

/** The connection's password policy, for words on Auth0's refusal (the defaults when it can't be read). */
async function connectionPolicy(
  management: TenantApi['management'],
  name: string,
): Promise<{ passwordPolicy: string | null; minLength: number | null }> {
  try {
    const found = (await readConnections(management)).find((c) => c.name === name);
    return { passwordPolicy: found?.passwordPolicy ?? 'good', minLength: found?.minLength ?? null };
  } catch {
    return { passwordPolicy: 'good', minLength: null };
  }
}

/** How long before our own call a user found after a 409 may have been created and still be ours. */
const CREATE_WINDOW_MS = 5_000;

export const createUser = operation<ChannelParsedInput<'users:create'>, { retriedBefore: number }, Auth0User>(
  {
    name: 'user.create',
    input: channels['users:create'].input,
    risk: 'users:create',
    needs: 'users:create',
    action: 'user.create',
    target: (i) => i.email,
    mayRepeat: true,
    before: async ({ connection }) => ({ retriedBefore: connection.scheduler.stats.retried }),
    async apply({ management, connection }, input, { retriedBefore }) {
      const startedAt = Date.now();
      try {
        return asUser(
          await management.users.create({
            connection: input.connection,
            email: input.email,
            ...(input.username ? { username: input.username } : {}),
            password: input.password,
            email_verified: input.emailVerified,
            verify_email: input.verifyEmail,
            ...(input.name ? { name: input.name } : {}),
          }),
        );
      } catch (err) {
        const e = err as { statusCode?: number; message?: string };
        if (e.statusCode === 400 && /PasswordStrengthError|password is too weak/i.test(e.message ?? '')) {
          const policy = await connectionPolicy(management, input.connection);
          const words = passwordProblem(policy.passwordPolicy, policy.minLength, input.password);
          throw new AppError(
            'validation',
            words ?? 'Auth0 refused the password as too weak for the connection’s policy.',
            { status: 400, details: { issues: [{ path: 'password', message: words ?? 'Too weak' }] } },
          );
        }
        if (e.statusCode === 409 && connection.scheduler.stats.retried > retriedBefore) {
          const found = await management.users.listUsersByEmail({ email: input.email });
          const mine = found.find(
            (u) =>
              u.identities?.some((i) => i.connection === input.connection) &&
              Date.parse(u.created_at as string) >= startedAt - CREATE_WINDOW_MS,
          );
          if (mine) return asUser(mine);
        }
        throw err;
      }
    },
    audit: { after: (u, input) => ({ user_id: u.user_id, email: u.email, connection: input.connection }) },
    // Never the password: only who was to be created where.
    intent: (input) => ({ email: input.email, connection: input.connection }),
    async readBack({ management }, entry) {
      const { email, connection } = entry.intent as { email: string; connection: string };
      const since = Date.parse(entry.time) - CREATE_WINDOW_MS;
      const found = await management.users.listUsersByEmail({ email });
      const made = found.some(
        (u) =>
          u.identities?.some((i) => i.connection === connection) &&
          Date.parse(u.created_at as string) >= since,
      );
      return made ? { resolution: 'applied' } : { resolution: 'not-applied' };
    },
  },
);
