import { passwordPolicyWords } from '../../preload/contract';

// A strong random password for "set password" and "create user": 20 characters from all four kinds.
const SETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#$%^&*-_=+?'];

export function generatePassword(length = 20): string {
  const all = SETS.join('');
  const pick = (set: string) => set[crypto.getRandomValues(new Uint32Array(1))[0]! % set.length]!;
  const chars = SETS.map(pick);
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.getRandomValues(new Uint32Array(1))[0]! % (i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** What the connection's password policy asks, in words (the contract's rules, shared with main). */
export const passwordRules = passwordPolicyWords;
