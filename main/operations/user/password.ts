// What the password operations share: only a user of a database connection has a password Auth0 manages.
import type { Auth0User } from '../../../preload/contract.js';
import { AppError } from '../../errors.js';

export function databaseIdentity(user: Auth0User) {
  const identity = user.identities?.find((i) => i.provider === 'auth0');
  if (!identity)
    throw new AppError(
      'validation',
      'This user signs in through a social or enterprise connection: their password is managed there, not by Auth0.',
    );
  return identity;
}

/** Why a bulk job skips a user for a password or an email: it signs in elsewhere. */
export const viaProvider = (u: Auth0User) =>
  `signs in with ${u.identities?.[0]?.connection ?? 'another provider'}, which manages it`;

export const hasDatabaseIdentity = (u: Auth0User) =>
  u.identities?.some((i) => i.provider === 'auth0') ?? false;
