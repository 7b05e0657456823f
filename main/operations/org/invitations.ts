// Inviting someone to an organization, and revoking an invitation. The invitation's link lets its holder join: it is
// returned once to the window (to copy) and never written to the audit or a log. A second create would send a second
// invitation, so it is never repeated blindly.
import { channels, type ChannelParsedInput, type OrgInvitation } from '../../../preload/contract.js';
import { invitationView } from '../../organizations/org-reads.js';
import { operation, SkipWrite } from '../operation.js';

export const orgCreateInvitation = operation<
  ChannelParsedInput<'orgs:create-invitation'>,
  undefined,
  { invitation: OrgInvitation; url: string }
>({
  name: 'org.create-invitation',
  input: channels['orgs:create-invitation'].input,
  risk: 'orgs:create-invitation',
  needs: 'orgs:invitations',
  action: 'org.create-invitation',
  target: (i) => i.email,
  mayRepeat: false,
  async apply({ management }, input) {
    const r = (await management.organizations.invitations.create(input.orgId, {
      inviter: { name: input.inviter },
      invitee: { email: input.email },
      client_id: input.clientId,
      ...(input.connectionId ? { connection_id: input.connectionId } : {}),
      ...(input.roleIds.length ? { roles: input.roleIds } : {}),
      ttl_sec: input.ttlSec,
      send_invitation_email: input.sendEmail,
    })) as Record<string, unknown>;
    return { invitation: invitationView(r), url: String(r.invitation_url ?? '') };
  },
  // The link stays out of the audit: who was invited to what, with which roles, until when.
  audit: {
    after: (r, input) => ({
      org_id: input.orgId,
      invitation_id: r.invitation.id,
      roles: input.roleIds,
      expires_at: r.invitation.expiresAt,
      email_sent: input.sendEmail,
    }),
  },
  readBack: {
    cannot: 'an invitation made leaves a link never shown: look in the organization’s invitations',
  },
});

export const orgRevokeInvitation = operation<
  ChannelParsedInput<'orgs:revoke-invitation'>,
  OrgInvitation,
  { ok: true }
>({
  name: 'org.revoke-invitation',
  input: channels['orgs:revoke-invitation'].input,
  risk: 'orgs:revoke-invitation',
  needs: 'orgs:invitations',
  action: 'org.revoke-invitation',
  target: (i) => i.invitationId,
  mayRepeat: true,
  async before({ management }, input) {
    try {
      return invitationView(
        (await management.organizations.invitations.get(input.orgId, input.invitationId)) as Record<
          string,
          unknown
        >,
      );
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404)
        throw new SkipWrite('That invitation is already gone (accepted, revoked or expired).');
      throw err;
    }
  },
  async apply({ management }, input) {
    try {
      await management.organizations.invitations.delete(input.orgId, input.invitationId);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
    return { ok: true };
  },
  audit: { before: (i, input) => ({ org_id: input.orgId, invitee: i.invitee, roles: i.roles }) },
  intent: (input) => ({ orgId: input.orgId }),
  async readBack({ management }, entry) {
    const orgId = (entry.intent as { orgId: string }).orgId;
    try {
      await management.organizations.invitations.get(orgId, entry.target!);
      return { resolution: 'not-applied' };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return { resolution: 'applied' };
      throw err;
    }
  },
});
