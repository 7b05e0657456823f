// A user in a per-user table (job outcomes, a plan, a comparison): the email, with the id beneath; or the id alone.
export function UserCell({ email, userId }: { email?: string | null | undefined; userId: string }) {
  return (
    <td>
      {email ?? userId}
      {email && <div className="muted">{userId}</div>}
    </td>
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
