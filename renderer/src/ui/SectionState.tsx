import type { ReactNode } from 'react';
import type { Async } from '../async';
import { ErrorMessage } from './ErrorMessage';

/** One section's load state, honestly: loading, failed (with retry), not permitted (the scopes), or its content. */
export function SectionState<T>({
  value,
  what,
  retry,
  children,
}: {
  value: Async<T>;
  /** What is loaded, for the words: "roles", "MFA factors", "log events". */
  what: string;
  retry: () => void;
  children: (data: T) => ReactNode;
}) {
  switch (value.state) {
    case 'loading':
      return (
        <p className="muted" role="status">
          Loading {what}…
        </p>
      );
    case 'forbidden':
      return (
        <p className="not-permitted" role="note">
          This tenant&rsquo;s grant does not allow reading {what}
          {value.missing.length ? ` (it lacks ${value.missing.join(', ')})` : ''}.
        </p>
      );
    case 'failed':
      return (
        <div className="section-failed">
          <p>Could not load {what}.</p>
          <ErrorMessage error={value.error} />
          <button type="button" onClick={retry}>
            Retry loading {what}
          </button>
        </div>
      );
    case 'ready':
      return <>{children(value.data)}</>;
  }
}
