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

export function passwordRules(policy: string | null, minLength: number | null): string {
  const min = minLength ?? 8;
  switch (policy) {
    case 'none':
      return 'At least 1 character.';
    case 'low':
      return `At least ${Math.max(6, min)} characters.`;
    case 'fair':
      return `At least ${min} characters, with lower case, upper case and numbers.`;
    case 'excellent':
      return `At least ${Math.max(10, min)} characters, 3 of 4 kinds (lower, upper, numbers, symbols), no character three times in a row.`;
    default:
      return `At least ${min} characters, 3 of 4 kinds: lower case, upper case, numbers, symbols.`;
  }
}
