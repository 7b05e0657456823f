// The shapes the local tenant stores, as Auth0 returns them.

export interface Identity {
  connection: string;
  user_id: string;
  provider: string;
  isSocial: boolean;
}

export interface User {
  user_id: string;
  email?: string;
  email_verified?: boolean;
  username?: string;
  phone_number?: string;
  phone_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  nickname?: string;
  picture?: string;
  created_at: string;
  updated_at: string;
  identities: Identity[];
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  last_ip?: string;
  last_login?: string;
  last_password_reset?: string;
  logins_count?: number;
  blocked?: boolean;
  multifactor?: string[];
  [key: string]: unknown;
}

export interface Connection {
  id: string;
  name: string;
  display_name?: string;
  strategy: string;
  options: Record<string, unknown>;
  enabled_clients: string[];
  is_domain_connection: boolean;
  realms: string[];
  metadata?: Record<string, string>;
}

export interface Role {
  id: string;
  name: string;
  description: string;
}

export interface ResourceServerScope {
  value: string;
  description?: string;
}

/**
 * An API as Auth0 returns it: the fields it always sends, plus whatever optional settings were given (kept as
 * sent, in Auth0's order). `name` and `scopes` are absent until set, as on Auth0.
 */
export interface ResourceServer {
  id: string;
  name?: string;
  identifier: string;
  allow_offline_access: boolean;
  skip_consent_for_verifiable_first_party_clients: boolean;
  token_lifetime: number;
  token_lifetime_for_web: number;
  signing_alg: string;
  scopes?: ResourceServerScope[];
  is_system?: boolean;
  [key: string]: unknown;
}

export interface LogEvent {
  log_id: string;
  date: string;
  type: string;
  description: string;
  client_id?: string;
  client_name?: string;
  ip?: string;
  user_agent?: string;
  details?: Record<string, unknown>;
  user_id?: string;
  user_name?: string;
  connection?: string;
  connection_id?: string;
  strategy?: string;
  strategy_type?: string;
  hostname?: string;
  isMobile?: boolean;
}

export interface Enrollment {
  id: string;
  status: 'pending' | 'confirmed';
  type: string;
  name?: string;
  identifier?: string;
  phone_number?: string;
  auth_method: string;
  enrolled_at: string;
  last_auth?: string;
}

export interface AuthenticationMethod {
  id: string;
  type: string;
  confirmed: boolean;
  name?: string;
  phone_number?: string;
  email?: string;
  created_at: string;
  last_auth_at?: string;
  preferred_authentication_method?: string;
  authentication_methods: { id: string; type: string }[];
}

export interface BlockedFor {
  identifier: string;
  ip?: string;
  connection?: string;
}

export interface Client {
  name: string;
  client_id: string;
  client_secret?: string;
  /** PEM public key for private_key_jwt clients. */
  public_key?: string;
  /** Only for the local tenant's own listing: the matching private key so tools can sign assertions. */
  private_key?: string;
  scopes: string[];
}

export interface Ticket {
  id: string;
  type: 'password-change' | 'email-verification';
  user_id: string;
  result_url?: string;
  expires_at: string;
  mark_email_as_verified?: boolean;
  includeEmailInRedirect?: boolean;
  used: boolean;
}

export interface OutboxEmail {
  id: string;
  to: string;
  type: 'reset_email' | 'verify_email' | 'import_completion' | 'organization_invitation';
  subject: string;
  link?: string;
  connection?: string;
  sentAt: string;
}

export interface Job {
  id: string;
  type: 'verification_email' | 'users_export' | 'users_import';
  status: 'pending' | 'processing' | 'completed' | 'failed';
  created_at: string;
  [key: string]: unknown;
}

/** A user's session as Auth0's session layer reports it (GET /users/{id}/sessions, GET /sessions/{id}). */
export interface Session {
  id: string;
  user_id: string;
  created_at: string;
  updated_at: string;
  authenticated_at: string;
  idle_expires_at: string;
  expires_at: string;
  last_interacted_at: string;
  device: {
    initial_user_agent: string;
    initial_ip: string;
    initial_asn: string;
    last_user_agent: string;
    last_ip: string;
    last_asn: string;
  };
  clients: { client_id: string }[];
  authentication: { methods: { name: string; timestamp: string; type?: string }[] };
  cookie?: { mode: 'persistent' | 'non-persistent' };
}

/** A refresh token's metadata (the token itself is never returned). */
export interface RefreshToken {
  id: string;
  user_id: string;
  created_at: string;
  idle_expires_at?: string;
  expires_at?: string;
  last_exchanged_at?: string;
  device: {
    initial_ip: string;
    initial_asn: string;
    initial_user_agent: string;
    last_ip: string;
    last_asn: string;
    last_user_agent: string;
  };
  client_id: string;
  session_id?: string;
  rotating: boolean;
  resource_servers: { audience: string; scopes: string }[];
}

/** A user's consent to an application for an API (GET /grants). */
export interface Grant {
  id: string;
  clientID: string;
  user_id: string;
  audience: string;
  scope: string[];
}

/** An organization as Auth0 returns it (GET /organizations/{id}): optional fields absent until set. */
export interface Organization {
  id: string;
  name: string;
  display_name?: string;
  branding?: { logo_url?: string; colors?: { primary: string; page_background: string } };
  metadata?: Record<string, string>;
}

/** A connection enabled on an organization, as stored (the connection's name and strategy are added when read). */
export interface OrganizationConnection {
  connection_id: string;
  assign_membership_on_login: boolean;
  /** Only database connections carry it (go-auth0 TestOrganizationManager_DBConnection). */
  is_signup_enabled?: boolean;
  show_as_button: boolean;
}

/**
 * A pending invitation to join an organization (uinv_ + 16 alphanumerics), in Auth0's key order. Its
 * `invitation_url` is not stored: it follows the tenant's address and is added when read.
 */
export interface OrganizationInvitation {
  id: string;
  client_id: string;
  inviter: { name: string };
  invitee: { email: string };
  ticket_id: string;
  created_at: string;
  expires_at: string;
  organization_id: string;
  connection_id?: string;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  roles?: string[];
}
