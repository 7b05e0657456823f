import { Fragment } from 'react';

// A user in a per-user table (job outcomes, a plan, a comparison): the email, with the id beneath; or the id alone.
// An email that doesn't fit breaks after its @ or before a dot (never mid-word where those do); ids break anywhere.
export function UserCell({ email, userId }: { email?: string | null | undefined; userId: string }) {
  return (
    <td>
      {email ? (
        <span className="user-email" title={email}>
          <EmailWords email={email} />
        </span>
      ) : (
        <span className="user-id">{userId}</span>
      )}
      {email && <div className="muted user-id">{userId}</div>}
    </td>
  );
}

/** An email with break opportunities after "@" and before each "." — where a reader expects it to wrap. */
export function EmailWords({ email }: { email: string }) {
  const parts = email.split(/(?<=@)|(?=\.)/);
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </>
  );
}

/** The row a per-user table shows when it has none. */
export function NoUsersRow({ columns }: { columns: number }) {
  return (
    <tr>
      <td colSpan={columns} className="muted">
        No user here.
      </td>
    </tr>
  );
}
