// Validation details from main (the contract's per-field issues, or Auth0's "on property x") by field, so a form can
// show each problem beside the field it concerns.
import type { ErrorEnvelope } from '../../preload/contract';

export type FieldErrors = Record<string, string>;

/** Issues keyed by their path; `prefix` strips a leading part (e.g. "changes." or "patch."). */
export function fieldErrors(error: ErrorEnvelope | null, prefix = ''): FieldErrors {
  const issues =
    (error?.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];
  const out: FieldErrors = {};
  for (const issue of issues) {
    const path = prefix && issue.path.startsWith(prefix) ? issue.path.slice(prefix.length) : issue.path;
    out[path] ??= issue.message;
  }
  return out;
}

/** The error minus what is shown beside fields: null when every issue has a field of the form. */
export function unplacedError(
  error: ErrorEnvelope | null,
  shown: FieldErrors,
  known: readonly string[],
): ErrorEnvelope | null {
  if (!error) return null;
  const placed = Object.keys(shown).filter((k) => known.includes(k));
  return placed.length > 0 && placed.length === Object.keys(shown).length ? null : error;
}
