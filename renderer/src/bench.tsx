// Bench harness (built only with `vite build --mode bench`): the real results table with N synthetic users.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { Auth0User } from '../../preload/contract';
import { UserTable } from './features/users/UserTable';
import { DEFAULT_COLUMNS } from './features/users/store';
import './styles.css';

const n = Number(new URLSearchParams(location.search).get('rows') ?? 10_000);
const users: Auth0User[] = Array.from({ length: n }, (_, i) => ({
  user_id: `auth0|${i.toString(16).padStart(24, '0')}`,
  email: `user${i}@example.com`,
  name: `User Number ${i}`,
  identities: [
    {
      connection: 'Username-Password-Authentication',
      provider: 'auth0',
      user_id: String(i),
      isSocial: false,
    },
  ],
  last_login: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  logins_count: i % 200,
  blocked: i % 37 === 0,
}));

function Bench() {
  const [columns, setColumns] = useState(DEFAULT_COLUMNS);
  return (
    <main className="bench">
      <UserTable
        users={users}
        columns={columns}
        onColumns={setColumns}
        layoutKey="bench"
        sort={null}
        onSort={() => undefined}
        onOpen={() => undefined}
      />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Bench />
  </StrictMode>,
);
