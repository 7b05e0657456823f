// A user's root fields (name, email, username, phone, picture…) edited in the user panel, refused in words where
// Auth0's rules for the user and its connection forbid a field, and never over a change made since it was shown.
import {
  channels,
  profileEditRules,
  profileFields,
  type Auth0User,
  type ChannelParsedInput,
} from '../../../preload/contract.js';
import { AppError } from '../../errors.js';
import { asUser, readConnections } from '../../users/user-reads.js';
import { operation } from '../operation.js';
import { ownValues, readBackFields } from '../read-back.js';
import { staleEdit } from './stale.js';

/** The user as it was and the database connection a new email or username goes to. */
interface ProfileBefore {
  user: Auth0User;
  connection: string | null;
}

export const updateProfile = operation<ChannelParsedInput<'users:update-profile'>, ProfileBefore, Auth0User>({
  name: 'user.update-profile',
  input: channels['users:update-profile'].input,
  risk: 'users:update-profile',
  needs: 'users:update',
  action: 'user.update-profile',
  target: (i) => i.userId,
  // Setting the same fields to the same values again changes nothing more.
  mayRepeat: true,
  async before({ management }, input) {
    const user = asUser(await management.users.get(input.userId));
    const stale = staleEdit(user, input.expectedUpdatedAt, {});
    if (stale) throw stale;
    // Auth0's rules for this user and its connections, refused here in words before anything is sent.
    const rules = profileEditRules(user, await readConnections(management));
    const issues = profileFields
      .filter((f) => input.changes[f] !== undefined && rules[f])
      .map((f) => ({ path: `changes.${f}`, message: rules[f]! }));
    if (issues.length)
      throw new AppError('validation', issues.map((i) => i.message).join(' '), { details: { issues } });
    const database = user.identities?.find((i) => i.provider === 'auth0');
    return { user, connection: database?.connection ?? null };
  },
  async apply({ management }, input, { connection }) {
    const { changes } = input;
    const targetsConnection = changes.email !== undefined || changes.username !== undefined;
    return asUser(
      await management.users.update(input.userId, {
        ...changes,
        ...(targetsConnection && connection ? { connection } : {}),
      }),
    );
  },
  audit: {
    before: ({ user }, input) =>
      Object.fromEntries(
        Object.keys(input.changes).map((k) => [k, (user as Record<string, unknown>)[k] ?? null]),
      ),
    after: (user, input) =>
      Object.fromEntries(
        Object.keys(input.changes).map((k) => [k, (user as Record<string, unknown>)[k] ?? null]),
      ),
  },
  intent: (input, before) => {
    // What shows on the user afterwards (verify_email is an instruction, not a field).
    const { verify_email: _instruction, ...fields } = input.changes as Record<string, unknown>;
    return { fields, ...(before ? { before: ownValues(before.user, Object.keys(fields)) } : {}) };
  },
  readBack: ({ management }, entry) => readBackFields(management, entry),
});
