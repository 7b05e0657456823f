// A compared user's access changes: gained or lost a role (the `roles.<name>` paths of a snapshot taken with roles),
// joined or left an organization, gained or lost an organization role in one (its `organizations.<name>.roles`
// paths). Shared by the compare view (words) and the access review report (kinds and words), so both say the same.

const ROLES_PATH = /^organizations\.(.+)\.roles$/;
const ROLE_PATH = /^roles\.(.+)$/;

/** One access change of one user, with its words ("gained role Admin", "left initech (was Admin)"). */
export type MembershipChange =
  | { kind: 'gained-role' | 'lost-role'; role: string; words: string }
  | { kind: 'joined' | 'left'; organization: string; roles: string[]; words: string }
  | { kind: 'gained-org-role' | 'lost-org-role'; organization: string; role: string; words: string };

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

/** The access changes among a changed user's fields, given their values before and after (flattened paths). */
export function membershipChangeList(
  fields: readonly string[],
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): MembershipChange[] {
  const out: MembershipChange[] = [];
  for (const f of fields) {
    const role = ROLE_PATH.exec(f);
    if (role) {
      const name = role[1]!;
      const had = before?.[f] !== undefined && before[f] !== null;
      const has = after?.[f] !== undefined && after[f] !== null;
      if (!had && has) out.push({ kind: 'gained-role', role: name, words: `gained role ${name}` });
      else if (had && !has) out.push({ kind: 'lost-role', role: name, words: `lost role ${name}` });
      continue;
    }
    const m = ROLES_PATH.exec(f);
    if (!m) continue;
    const org = m[1]!;
    const b = rolesOf(before?.[f]);
    const a = rolesOf(after?.[f]);
    if (!b && a)
      out.push({
        kind: 'joined',
        organization: org,
        roles: a,
        words: `joined ${org}${a.length ? ` as ${a.join(', ')}` : ''}`,
      });
    else if (b && !a)
      out.push({
        kind: 'left',
        organization: org,
        roles: b,
        words: `left ${org}${b.length ? ` (was ${b.join(', ')})` : ''}`,
      });
    else if (a && b) {
      for (const r of a.filter((x) => !b.includes(x)))
        out.push({ kind: 'gained-org-role', organization: org, role: r, words: `gained ${r} in ${org}` });
      for (const r of b.filter((x) => !a.includes(x)))
        out.push({ kind: 'lost-org-role', organization: org, role: r, words: `lost ${r} in ${org}` });
    }
  }
  return out;
}

/** The same changes in words only (the compare view's list). */
export function membershipChanges(
  fields: readonly string[],
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): string[] {
  return membershipChangeList(fields, before, after).map((c) => c.words);
}
