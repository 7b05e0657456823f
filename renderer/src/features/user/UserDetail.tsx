import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import { hasUnsavedEdits, useDetailStore } from './store';
import { useTenantsStore } from '../tenants/store';
import { DiscardEditsDialog } from '../../ui/DiscardEditsDialog';
import { MetadataEditor } from './MetadataEditor';
import { SectionState } from '../../ui/SectionState';
import { TenantBadge } from '../../ui/TenantBadge';
import { AccessSection } from './AccessSection';
import { UserOrganizations } from '../organizations/UserOrganizations';
import { AccountSection } from './AccountSection';
import { IdentitiesSection } from './IdentitiesSection';
import { LogsSection } from './LogsSection';
import { MfaSection } from './MfaSection';
import { PasswordSection } from './PasswordSection';
import { ProfileSection } from './ProfileSection';
import { RolesSection } from './RolesSection';

/** Everything about one user of one tenant — the tenant it was opened for, shown in its header — and every action. */
export function UserDetail() {
  const id = useId();
  const tenantId = useDetailStore((d) => d.tenantId);
  const userId = useDetailStore((d) => d.userId);
  const user = useDetailStore((d) => d.user);
  const running = useDetailStore((d) => d.running);
  const refresh = useDetailStore((d) => d.refresh);
  const close = useDetailStore((d) => d.close);
  const dirty = useDetailStore((d) => hasUnsavedEdits(d));
  const tenant = useTenantsStore((s) => s.tenants.find((t) => t.id === tenantId));
  const heading = useRef<HTMLHeadingElement>(null);
  const [confirmClose, setConfirmClose] = useState(false);

  // While the panel is on screen, its actions are offered by the palette and their keys.
  const setShown = useDetailStore((d) => d.setShown);
  useEffect(() => {
    setShown(true);
    return () => setShown(false);
  }, [setShown]);
  // Where focus was when the panel opened (the table's row): it goes back there when the panel closes.
  const returnTo = useRef<Element | null>(null);
  useEffect(() => {
    returnTo.current ??= document.activeElement;
    heading.current?.focus();
  }, [userId, user.state]);
  const closeAndReturn = () => {
    const back = returnTo.current as HTMLElement | null;
    close();
    if (back?.isConnected) back.focus();
  };
  const onEscape = useEffectEvent(() => (dirty ? setConfirmClose(true) : closeAndReturn()));
  // Escape closes the panel from anywhere outside a dialog (a dialog, the log drawer or an editor takes its own).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if ((e.target as Element | null)?.closest?.('dialog') || document.querySelector('dialog[open]')) return;
      e.preventDefault();
      onEscape();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (!tenant || !userId) return null;
  const shown = user.state === 'ready' ? user.data : null;
  const title = shown ? (shown.name ?? shown.email ?? shown.user_id) : userId;

  return (
    <aside className="detail" aria-labelledby={`${id}-title`} data-tenant={tenant.id}>
      <div className="detail-head" style={{ borderTopColor: tenant.color }}>
        {/* Remote pictures are not loaded: they would tell a third party who is being looked at. */}
        <span className="avatar" aria-hidden="true">
          {title
            .split(/[\s@.|]+/)
            .slice(0, 2)
            .map((w) => w[0]?.toUpperCase() ?? '')
            .join('')}
        </span>
        <div className="detail-title">
          <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
            {title}
          </h2>
          <p className="muted">{userId}</p>
          <TenantBadge tenant={tenant} />
        </div>
        <button
          type="button"
          onClick={() => (dirty ? setConfirmClose(true) : closeAndReturn())}
          aria-label="Close user detail"
          aria-keyshortcuts="Escape"
        >
          Close
        </button>
      </div>
      {running && (
        <p role="status" className="progress">
          {running}…
        </p>
      )}
      <SectionState value={user} what="this user" retry={() => void refresh()}>
        {(u) => (
          <>
            {u.blocked && (
              <p className="notice blocked-notice" role="note">
                This user is blocked: they cannot log in.
              </p>
            )}
            <ProfileSection tenant={tenant} user={u} />
            <IdentitiesSection user={u} />
            <AccountSection tenant={tenant} user={u} />
            <PasswordSection tenant={tenant} user={u} />
            <MfaSection tenant={tenant} />
            <AccessSection tenant={tenant} who={u.email ?? u.user_id} />
            <MetadataEditor
              key={`${u.user_id}:u:${u.updated_at}`}
              tenant={tenant}
              user={u}
              kind="user_metadata"
            />
            <MetadataEditor
              key={`${u.user_id}:a:${u.updated_at}`}
              tenant={tenant}
              user={u}
              kind="app_metadata"
            />
            <RolesSection tenant={tenant} />
            <UserOrganizations tenant={tenant} userId={u.user_id} who={u.email ?? u.user_id} />
            <LogsSection />
            <details>
              <summary>Raw JSON</summary>
              <pre className="raw">{JSON.stringify(u, null, 2)}</pre>
            </details>
          </>
        )}
      </SectionState>
      {confirmClose && (
        <DiscardEditsDialog
          tenant={tenant}
          what={`your unsaved edits to ${title}`}
          onAnswer={(discard) => {
            setConfirmClose(false);
            if (discard) closeAndReturn();
          }}
        />
      )}
    </aside>
  );
}
