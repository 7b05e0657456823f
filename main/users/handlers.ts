// The users slice's handlers: reads of users go to UserReads; every write is an operation run through the write path
// (guard → audit → scheduler), so nothing here decides anything about a write.
import type { usersChannels } from '../../preload/contract.js';
import { changeRoles } from '../operations/user/change-roles.js';
import { createUser } from '../operations/user/create.js';
import { deleteUser } from '../operations/user/delete.js';
import { invalidateRememberBrowser } from '../operations/user/invalidate-remember-browser.js';
import { mfaReset } from '../operations/user/mfa-reset.js';
import { passwordTicket } from '../operations/user/password-ticket.js';
import { resetEmail } from '../operations/user/reset-email.js';
import { sendVerificationEmail } from '../operations/user/send-verification-email.js';
import { setBlocked } from '../operations/user/set-blocked.js';
import { setEmailVerified } from '../operations/user/set-email-verified.js';
import { setPassword } from '../operations/user/set-password.js';
import { unblockBruteForce } from '../operations/user/unblock-brute-force.js';
import { updateMetadata } from '../operations/user/update-metadata.js';
import { updateProfile } from '../operations/user/update-profile.js';
import type { WritePath } from '../operations/write-path.js';
import type { SliceHandlers } from '../router.js';
import type { UserReads } from './user-reads.js';

export function usersHandlers(d: {
  users: UserReads;
  writes: WritePath;
}): SliceHandlers<typeof usersChannels> {
  const { users, writes } = d;
  return {
    'users:search': (input) => users.search(input),
    'users:get': (input) => users.get(input.tenantId, input.userId),
    'users:create': (input) => writes.run(createUser, input),
    'users:update-metadata': (input) => writes.run(updateMetadata, input),
    'users:update-profile': (input) => writes.run(updateProfile, input),
    'users:set-blocked': (input) => writes.run(setBlocked, input),
    'users:unblock-brute-force': (input) => writes.run(unblockBruteForce, input),
    'users:blocks': (input) => users.blocks(input.tenantId, input.userId),
    'users:delete': (input) => writes.run(deleteUser, input),
    'users:set-email-verified': (input) => writes.run(setEmailVerified, input),
    'users:send-verification-email': (input) => writes.run(sendVerificationEmail, input),
    'users:password-ticket': (input) => writes.run(passwordTicket, input),
    'users:reset-email': (input) => writes.run(resetEmail, input),
    'users:set-password': (input) => writes.run(setPassword, input),
    'users:mfa': (input) => users.mfa(input.tenantId, input.userId),
    'users:mfa-reset': (input) => writes.run(mfaReset, input),
    'users:invalidate-remember-browser': (input) => writes.run(invalidateRememberBrowser, input),
    'users:roles': (input) => users.roles(input.tenantId, input.userId),
    'users:assign-roles': async ({ roleIds, ...input }) => {
      await writes.run(changeRoles, { ...input, add: roleIds, remove: [] });
      return users.roles(input.tenantId, input.userId);
    },
    'users:remove-roles': async ({ roleIds, ...input }) => {
      await writes.run(changeRoles, { ...input, add: [], remove: roleIds });
      return users.roles(input.tenantId, input.userId);
    },
    'users:logs': (input) => users.logs(input.tenantId, input.userId, input.page),
    'roles:search': (input) => users.searchRoles(input.tenantId, input.nameFilter),
    'connections:list': (input) => users.connections(input.tenantId),
  };
}
