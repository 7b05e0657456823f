// Every command that writes to a tenant, by the id its pending audit entries record: how a later run finds the
// read-back of a write that Tenant Desk stopped in the middle of.
import { sendChunk } from '../imports/import-service.js';
import {
  changeRoles,
  mergeMetadata,
  setBlockedAsPlanned,
  setEmailVerifiedTo,
} from '../jobs/bulk-commands.js';
import {
  addRoleMembers,
  addRolePermissions,
  createRole,
  deleteRole,
  removeRolePermissions,
  updateRole,
} from '../roles/role-admin.js';
import {
  createUser,
  deleteUser,
  setBlocked,
  setEmailVerified,
  updateMetadata,
  updateProfile,
} from '../users/account-commands.js';
import { assignRoles, removeRoles } from '../users/role-commands.js';
import {
  invalidateRememberBrowser,
  mfaReset,
  passwordTicket,
  resetEmail,
  sendVerificationEmail,
  setPassword,
  unblockBruteForce,
} from '../users/security-commands.js';
import type { WriteCommand } from './write-path.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of commands of every input, before and result
export type AnyWriteCommand = WriteCommand<any, any, any>;

export const WRITE_COMMANDS: readonly AnyWriteCommand[] = [
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
  assignRoles,
  removeRoles,
  createRole,
  updateRole,
  deleteRole,
  addRoleMembers,
  addRolePermissions,
  removeRolePermissions,
  mergeMetadata,
  changeRoles,
  setBlockedAsPlanned,
  setEmailVerifiedTo,
  sendChunk,
];

const byId = new Map(WRITE_COMMANDS.map((c) => [c.id, c]));

export function commandById(id: string | undefined): AnyWriteCommand | undefined {
  return id === undefined ? undefined : byId.get(id);
}
