// A compared user's access changes in words: gained or lost a role (the `roles.<name>` paths of a snapshot taken with
// roles), joined or left an organization, gained or lost an organization role in one (its `organizations.<name>.roles`
// paths).

const ROLES_PATH = /^organizations\.(.+)\.roles$/;
const ROLE_PATH = /^roles\.(.+)$/;

function rolesOf(v: unknown): string[] | null {
  if (v === undefined || v === null) return null;
  let x: unknown = v;
  if (typeof x === 'string') {
    try {
      x = JSON.parse(x) as unknown;
    } catch {
      return null;
    }
  }
  return Array.isArray(x) ? x.map(String) : null;
}

export function membershipChanges(
  fields: readonly string[],
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const role = ROLE_PATH.exec(f);
    if (role) {
      const had = before?.[f] !== undefined && before[f] !== null;
      const has = after?.[f] !== undefined && after[f] !== null;
      if (!had && has) out.push(`gained role ${role[1]}`);
      else if (had && !has) out.push(`lost role ${role[1]}`);
      continue;
    }
    const m = ROLES_PATH.exec(f);
    if (!m) continue;
    const org = m[1]!;
    const b = rolesOf(before?.[f]);
    const a = rolesOf(after?.[f]);
    if (!b && a) out.push(`joined ${org}${a.length ? ` as ${a.join(', ')}` : ''}`);
    else if (b && !a) out.push(`left ${org}${b.length ? ` (was ${b.join(', ')})` : ''}`);
    else if (a && b) {
      for (const r of a.filter((x) => !b.includes(x))) out.push(`gained ${r} in ${org}`);
      for (const r of b.filter((x) => !a.includes(x))) out.push(`lost ${r} in ${org}`);
    }
  }
  return out;
}
