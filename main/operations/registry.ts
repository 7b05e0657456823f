// Every operation, registered once. The write path runs them; audit recovery finds the read-back of a write that
// Tenant Desk stopped in the middle of by the name its pending entry recorded; bulk jobs plan, run and undo each
// user's write by the name its plan line holds; the capability map and the guard are checked against them.
import type { BulkChangeKind } from '../../preload/contract.js';
import { sendChunk } from './import-chunk.js';
import type { Operation } from './operation.js';
import { orgCreateInvitation, orgRevokeInvitation } from './org/invitations.js';
import { orgAddMember, orgChangeMemberRoles, orgRemoveMember } from './org/members.js';
import { orgCreate, orgDelete, orgUpdate } from './org/organization.js';
import { addRoleMembers } from './role/add-members.js';
import { createRole } from './role/create.js';
import { deleteRole } from './role/delete.js';
import { addRolePermissions, removeRolePermissions } from './role/permissions.js';
import { updateRole } from './role/update.js';
import {
  deleteAuthenticationMethod,
  revokeGrant,
  revokeGrants,
  revokeRefreshToken,
  revokeRefreshTokens,
  revokeSession,
  revokeSessions,
  signOut,
} from './user/access.js';
import { changeRoles } from './user/change-roles.js';
import { createUser } from './user/create.js';
import { deleteUser } from './user/delete.js';
import { invalidateRememberBrowser } from './user/invalidate-remember-browser.js';
import { mfaReset } from './user/mfa-reset.js';
import { passwordTicket } from './user/password-ticket.js';
import { resetEmail } from './user/reset-email.js';
import { sendVerificationEmail } from './user/send-verification-email.js';
import { setBlocked } from './user/set-blocked.js';
import { setEmailVerified } from './user/set-email-verified.js';
import { setPassword } from './user/set-password.js';
import { unblockBruteForce } from './user/unblock-brute-force.js';
import { updateMetadata } from './user/update-metadata.js';
import { updateProfile } from './user/update-profile.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of operations of every input, before and result
export type AnyOperation = Operation<any, any, any>;

export const OPERATIONS: readonly AnyOperation[] = [
  createUser,
  updateMetadata,
  updateProfile,
  setBlocked,
  setEmailVerified,
  deleteUser,
  unblockBruteForce,
  sendVerificationEmail,
  passwordTicket,
  resetEmail,
  setPassword,
  mfaReset,
  invalidateRememberBrowser,
  revokeSession,
  revokeSessions,
  revokeRefreshToken,
  revokeRefreshTokens,
  revokeGrant,
  revokeGrants,
  deleteAuthenticationMethod,
  signOut,
  changeRoles,
  createRole,
  updateRole,
  deleteRole,
  addRoleMembers,
  addRolePermissions,
  removeRolePermissions,
  orgCreate,
  orgUpdate,
  orgDelete,
  orgAddMember,
  orgRemoveMember,
  orgChangeMemberRoles,
  orgCreateInvitation,
  orgRevokeInvitation,
  sendChunk,
];

/** Names an earlier version recorded with pending writes (or planned jobs with), and the operation each is now. */
const EARLIER_NAMES: Record<string, string> = {
  'bulk.merge-metadata': 'user.update-metadata',
  'bulk.change-roles': 'user.change-roles',
  'bulk.set-blocked': 'user.set-blocked',
  'bulk.set-email-verified': 'user.set-email-verified',
  'user.mark-email-verified': 'user.set-email-verified',
  'user.assign-roles': 'user.change-roles',
  'user.remove-roles': 'user.change-roles',
};

const byName = new Map(OPERATIONS.map((op) => [op.name, op]));

export function operationNamed(name: string | undefined): AnyOperation | undefined {
  if (name === undefined) return undefined;
  return byName.get(name) ?? byName.get(EARLIER_NAMES[name] ?? '');
}

/** The operation that carries out a bulk change of a kind. */
export function operationFor(
  kind: BulkChangeKind,
): AnyOperation & { bulk: NonNullable<AnyOperation['bulk']> } {
  const op = OPERATIONS.find((o) => o.bulk?.kinds.includes(kind));
  if (!op?.bulk) throw new Error(`No operation carries out the bulk change ${kind}.`);
  return op as AnyOperation & { bulk: NonNullable<AnyOperation['bulk']> };
}
