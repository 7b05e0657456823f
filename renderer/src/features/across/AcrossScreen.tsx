// Work across tenants: search several at once (one table, a Tenant column with each tenant's colour and tag, a status
// line per tenant), or compare two of them user by user; or their organizations, found by name and compared.
import { useId } from 'react';
import { useAcrossStore, type AcrossMode } from './store';
import { CrossCompare } from './CrossCompare';
import { CrossOrganizations } from './CrossOrganizations';
import { CrossSearch } from './CrossSearch';

const MODES: { mode: AcrossMode; label: string }[] = [
  { mode: 'search', label: 'Search several tenants' },
  { mode: 'compare', label: 'Compare two tenants' },
  { mode: 'organizations', label: 'Organizations on several tenants' },
];

export function AcrossScreen() {
  const id = useId();
  const mode = useAcrossStore((s) => s.mode);
  const setMode = useAcrossStore((s) => s.setMode);
  return (
    <section className="across-screen" aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <h1 id={`${id}-title`}>Cross-tenant</h1>
        <div className="segmented" role="group" aria-label="What to do across tenants">
          {MODES.map((m) => (
            <button
              key={m.mode}
              type="button"
              aria-pressed={mode === m.mode}
              className={mode === m.mode ? 'current' : undefined}
              onClick={() => setMode(m.mode)}
            >
              {m.label}
            </button>
          ))}
        </div>
      </div>
      {mode === 'search' ? <CrossSearch /> : mode === 'compare' ? <CrossCompare /> : <CrossOrganizations />}
    </section>
  );
}
