import { categoryOf, logType } from './log-types';

/** A type code as words, its category as a tag; the code itself on hover and in the drawer. */
export function LogTypeCell({ code }: { code: string }) {
  const t = logType(code);
  const c = categoryOf(t.category);
  return (
    <span className="log-type" title={`${code}: ${t.label} (${c.label})`}>
      <span className={`log-cat tone-${c.tone}`}>{c.label}</span> {t.label}
    </span>
  );
}
