// The refusal of an edit made on a user that changed on the tenant after the window showed it.
import type { Auth0User } from '../../../preload/contract.js';
import { AppError } from '../../errors.js';

export function staleEdit(
  current: Auth0User,
  expected: string,
  what: Record<string, unknown>,
): AppError | null {
  if (current.updated_at === expected) return null;
  return new AppError(
    'conflict',
    `This user was changed on the tenant after you opened it (updated ${current.updated_at ?? 'just now'}). Your edit was not saved: reload the user, then make it again.`,
    { details: { stale: true, current: { updated_at: current.updated_at, ...what } } },
  );
}

/** A value in words, for "was … when planned, is … now". */
export const shown = (v: unknown) => (v === null || v === undefined ? 'absent' : JSON.stringify(v));
