// Auth0's log event type codes in words, each in a category the Logs screen filters by (Auth0's "Log Event Type
// Codes" list). A code not listed is shown as itself, in "Other".

export type LogCategory =
  | 'login-success'
  | 'login-failure'
  | 'signup'
  | 'password'
  | 'email'
  | 'api-write'
  | 'api-failure'
  | 'token'
  | 'mfa'
  | 'security'
  | 'rate-limit'
  | 'logout'
  | 'other';

export const LOG_CATEGORIES: { id: LogCategory; label: string; tone: 'ok' | 'bad' | 'warn' | 'info' }[] = [
  { id: 'login-failure', label: 'Failed login', tone: 'bad' },
  { id: 'login-success', label: 'Successful login', tone: 'ok' },
  { id: 'signup', label: 'Signup', tone: 'info' },
  { id: 'password', label: 'Password', tone: 'info' },
  { id: 'email', label: 'Email and verification', tone: 'info' },
  { id: 'api-write', label: 'Management API', tone: 'info' },
  { id: 'api-failure', label: 'Failed API call', tone: 'bad' },
  { id: 'token', label: 'Token exchange', tone: 'info' },
  { id: 'mfa', label: 'MFA', tone: 'info' },
  { id: 'security', label: 'Blocking and attack protection', tone: 'warn' },
  { id: 'rate-limit', label: 'Rate limit', tone: 'warn' },
  { id: 'logout', label: 'Logout', tone: 'info' },
  { id: 'other', label: 'Other', tone: 'info' },
];

const TYPES: Record<string, [string, LogCategory]> = {
  s: ['Success login', 'login-success'],
  ssa: ['Success silent authentication', 'login-success'],
  scoa: ['Success cross-origin authentication', 'login-success'],
  sens: ['Success native social login', 'login-success'],
  f: ['Failed login', 'login-failure'],
  fp: ['Failed login (wrong password)', 'login-failure'],
  fu: ['Failed login (invalid email or username)', 'login-failure'],
  fsa: ['Failed silent authentication', 'login-failure'],
  fcoa: ['Failed cross-origin authentication', 'login-failure'],
  fco: ['Origin not allowed (CORS)', 'login-failure'],
  fc: ['Failed by connector', 'login-failure'],
  fd: ['Failed delegation', 'login-failure'],
  w: ['Warning during login', 'login-failure'],
  ss: ['Success signup', 'signup'],
  fs: ['Failed signup', 'signup'],
  scp: ['Success password change', 'password'],
  fcp: ['Failed password change', 'password'],
  scpr: ['Success password change request', 'password'],
  fcpr: ['Failed password change request', 'password'],
  scph: ['Success post-change-password hook', 'password'],
  fcph: ['Failed post-change-password hook', 'password'],
  pwd_leak: ['Breached password', 'security'],
  signup_pwd_leak: ['Breached password on signup', 'security'],
  reset_pwd_leak: ['Breached password on reset', 'security'],
  sv: ['Success email verification', 'email'],
  fv: ['Failed email verification', 'email'],
  svr: ['Success verification email request', 'email'],
  fvr: ['Failed verification email request', 'email'],
  sce: ['Success email change', 'email'],
  fce: ['Failed email change', 'email'],
  scu: ['Success username change', 'email'],
  fcu: ['Failed username change', 'email'],
  cls: ['Code or link sent', 'email'],
  cs: ['Code sent', 'email'],
  fn: ['Failed sending notification', 'email'],
  sapi: ['Management API operation', 'api-write'],
  mgmt_api_read: ['Management API read', 'api-write'],
  du: ['User deleted', 'api-write'],
  sui: ['Success users import', 'api-write'],
  fui: ['Failed users import', 'api-failure'],
  fapi: ['Failed Management API operation', 'api-failure'],
  seacft: ['Success exchange (authorization code)', 'token'],
  feacft: ['Failed exchange (authorization code)', 'token'],
  seccft: ['Success exchange (client credentials)', 'token'],
  feccft: ['Failed exchange (client credentials)', 'token'],
  sepft: ['Success exchange (password)', 'token'],
  fepft: ['Failed exchange (password)', 'token'],
  sertft: ['Success exchange (refresh token)', 'token'],
  fertft: ['Failed exchange (refresh token)', 'token'],
  srrt: ['Success refresh token revocation', 'token'],
  sd: ['Success delegation', 'token'],
  mfar: ['MFA required', 'mfa'],
  gd_auth_succeed: ['MFA authentication succeeded', 'mfa'],
  gd_auth_failed: ['MFA authentication failed', 'mfa'],
  gd_auth_rejected: ['MFA authentication rejected', 'mfa'],
  gd_enrollment_complete: ['MFA enrollment complete', 'mfa'],
  gd_unenroll: ['MFA unenrolled', 'mfa'],
  gd_send_sms: ['MFA SMS sent', 'mfa'],
  gd_send_pn: ['MFA push notification sent', 'mfa'],
  gd_otp_rate_limit_exceed: ['Too many MFA codes', 'mfa'],
  gd_recovery_succeed: ['MFA recovery succeeded', 'mfa'],
  gd_recovery_failed: ['MFA recovery failed', 'mfa'],
  limit_wc: ['Account blocked (too many failed logins)', 'security'],
  limit_sul: ['User blocked (too many logins from one IP)', 'security'],
  limit_mu: ['IP blocked (attempts on many accounts)', 'security'],
  ublkdu: ['User login block released', 'security'],
  api_limit: ['Rate limit reached', 'rate-limit'],
  api_limit_warning: ['Rate limit warning', 'rate-limit'],
  slo: ['Success logout', 'logout'],
  flo: ['Failed logout', 'logout'],
  depnote: ['Deprecation notice', 'other'],
};

/** A type code in words, with its category. */
export function logType(code: string): { label: string; category: LogCategory } {
  const known = TYPES[code];
  return known ? { label: known[0], category: known[1] } : { label: code, category: 'other' };
}

export function categoryOf(id: LogCategory) {
  return LOG_CATEGORIES.find((c) => c.id === id)!;
}

/** The type codes of a category (for a `type:(…)` query); "other" has none to ask for. */
export function codesOf(category: LogCategory): string[] {
  return Object.entries(TYPES)
    .filter(([, [, c]]) => c === category)
    .map(([code]) => code);
}
