import { useId } from 'react';
import type { Auth0User } from '../../../../preload/contract';

/** The connections a user signs in with: read-only, managed by Auth0. */
export function IdentitiesSection({ user }: { user: Auth0User }) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-identities`}>
      <h3 id={`${id}-identities`}>Identities</h3>
      <p className="muted">
        Read-only: identities come from the connections the user signs in with and are managed by Auth0.
      </p>
      <ul>
        {(user.identities ?? []).map((i) => (
          <li key={`${i.provider}|${i.user_id}`}>
            {i.connection} ({i.provider}
            {i.isSocial ? ', social' : ''})
          </li>
        ))}
      </ul>
    </section>
  );
}
