// Deterministic, realistic tenant data: the same seed gives the same users, connections, roles and logs
// (dates are relative to the start of the current UTC day, so "recent logins" stay recent).
import { createHash } from 'node:crypto';
import { defaultResourceServers, orgMemberKey, permissionKey, type TenantStore } from './store.js';
import { APPLICATIONS } from './clients.js';
import type {
  AuthenticationMethod,
  Connection,
  Enrollment,
  Identity,
  RefreshToken,
  Session,
  User,
} from './model.js';

export function prng(seed: string): () => number {
  let h = createHash('sha256').update(seed).digest().readUInt32LE(0);
  // mulberry32
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Dennis',
  'Frances',
  'John',
  'Radia',
  'Tim',
  'Hedy',
  'Edsger',
  'Katherine',
  'Donald',
  'Sophie',
  'Guido',
  'Joan',
  'Bjarne',
  'Anita',
  'Niklaus',
  'Mary',
  'Vint',
  'Elena',
  'Lucas',
  'Chloé',
  'Zoë',
  'Mateo',
  'Aiko',
  'Priya',
  'Omar',
  'Fatima',
  'Jonas',
  'Ingrid',
  'Wei',
  'Olga',
  'Pedro',
  'Amara',
  'Noah',
];
const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Ritchie',
  'Allen',
  'McCarthy',
  'Perlman',
  'Berners-Lee',
  'Lamarr',
  'Dijkstra',
  'Johnson',
  'Knuth',
  'Wilson',
  'van Rossum',
  'Clarke',
  'Stroustrup',
  'Borg',
  'Wirth',
  'Keller',
  'Cerf',
  'García',
  'Müller',
  'Dubois',
  'Rossi',
  'Tanaka',
  'Sharma',
  'Haddad',
  'Nkemelu',
  'Berg',
  'Zhang',
  'Ivanova',
  'Silva',
  'Okafor',
  'Kowalski',
  'Nielsen',
  'Moreau',
];
const DOMAINS = [
  'example.com',
  'example.com',
  'example.com',
  'example.org',
  'acme.example',
  'contoso.example',
  'globex.example',
];
const PLANS = ['free', 'free', 'free', 'pro', 'pro', 'enterprise'];
const CITIES = [
  'Paris',
  'London',
  'Berlin',
  'Lisbon',
  'Tokyo',
  'Lagos',
  'Toronto',
  'São Paulo',
  'Mumbai',
  'Sydney',
];
const ROLE_NAMES = [
  'Admin',
  'Support Agent',
  'Auditor',
  'Billing Manager',
  'Developer',
  'Read Only',
  'Editor',
  'Reviewer',
  'Operator',
  'Owner',
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function hex(rand: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

function digits(rand: () => number, length: number): string {
  let s = String(1 + Math.floor(rand() * 9));
  for (let i = 1; i < length; i++) s += Math.floor(rand() * 10);
  return s;
}

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function alnumId(rand: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alnum[Math.floor(rand() * alnum.length)];
  return s;
}

function slug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** The connections every local tenant has; `rich` adds the social and enterprise ones of seeded data. */
export function seedConnections(rand: () => number, clientIds: string[], rich: boolean): Connection[] {
  const base = (
    name: string,
    strategy: string,
    options: Record<string, unknown>,
    extra: Partial<Connection> = {},
  ): Connection => ({
    id: `con_${alnumId(rand, 16)}`,
    name,
    strategy,
    options,
    enabled_clients: clientIds,
    is_domain_connection: false,
    realms: [name],
    ...extra,
  });
  const list = [
    base('Username-Password-Authentication', 'auth0', {
      mfa: { active: true, return_enroll_settings: true },
      passwordPolicy: 'good',
      password_complexity_options: { min_length: 8 },
      brute_force_protection: true,
      strategy_version: 2,
      requires_username: false,
      disable_signup: false,
    }),
    base('google-oauth2', 'google-oauth2', { email: true, profile: true, scope: ['email', 'profile'] }),
  ];
  if (rich) {
    list.push(
      base('github', 'github', { scope: ['user:email'] }),
      base(
        'acme-saml',
        'samlp',
        { signInEndpoint: 'https://idp.acme.example/saml', domain_aliases: ['acme.example'] },
        { display_name: 'ACME SSO' },
      ),
      base(
        'contoso-azure-ad',
        'waad',
        { tenant_domain: 'contoso.example', domain_aliases: ['contoso.example'] },
        { display_name: 'Contoso Entra ID' },
      ),
    );
  }
  return list;
}

export interface SeedOptions {
  users: number;
  seed: string;
  now?: number;
}

export function seedTenant(store: TenantStore, options: SeedOptions): void {
  const rand = prng(options.seed);
  const dayStart = options.now ?? Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const iso = (t: number) => new Date(t).toISOString();
  store.connections = seedConnections(
    rand,
    store.clients.map((c) => c.client_id),
    options.users > 0,
  );

  // The custom APIs. Their ids and the Billing API's grants come from a second generator, so the rest of the seeded
  // tenant (users, roles, logs) is what the same seed gave before several APIs existed.
  const apiRand = prng(`${options.seed}:apis`);
  store.ensureManagementApi(hex(apiRand, 24));
  const [reports, ...others] = defaultResourceServers().map((rs) => ({ ...rs, id: hex(apiRand, 24) }));
  for (const rs of [reports!, ...others]) store.resourceServers.set(rs.id, rs);

  // Roles: more than the 50 the web dashboard's picker shows, with permissions over the custom APIs.
  const roleIds: string[] = [];
  const roleCount = options.users > 0 ? 60 : 3;
  for (let i = 0; i < roleCount; i++) {
    const name = i < ROLE_NAMES.length ? (ROLE_NAMES[i] as string) : `${pick(rand, ROLE_NAMES)} ${i}`;
    const id = `rol_${alnumId(rand, 16)}`;
    store.roles.set(id, { id, name, description: `${name} role` });
    store.roleUsers.set(id, new Set());
    const perms = (reports!.scopes ?? [])
      .filter(() => rand() < 0.5)
      .map((s) => permissionKey(reports!.id, s.value));
    for (const rs of others)
      for (const s of rs.scopes ?? []) if (apiRand() < 0.3) perms.push(permissionKey(rs.id, s.value));
    store.rolePermissions.set(id, new Set(perms));
    roleIds.push(id);
  }

  const conns = store.connections;
  const byName = (n: string) => conns.find((c) => c.name === n) as Connection;
  const dist: [number, string][] = [
    [0.7, 'Username-Password-Authentication'],
    [0.85, 'google-oauth2'],
    [0.92, 'github'],
    [0.97, 'acme-saml'],
    [1, 'contoso-azure-ad'],
  ];
  const loginIps = ['203.0.113.', '198.51.100.', '192.0.2.'];

  for (let i = 0; i < options.users; i++) {
    const first = pick(rand, FIRST);
    const last = pick(rand, LAST);
    const r = rand();
    const connName = (dist.find(([p]) => r < p) ?? dist[0]!)[1];
    const conn = byName(connName);
    let domain = pick(rand, DOMAINS);
    if (connName === 'google-oauth2') domain = 'gmail.example';
    if (connName === 'acme-saml') domain = 'acme.example';
    if (connName === 'contoso-azure-ad') domain = 'contoso.example';
    const email = `${slug(first)}.${slug(last)}${i}@${domain}`;
    const created = dayStart - Math.floor(rand() * 730 * 86_400_000);
    const loggedIn = rand() < 0.8;
    const lastLogin = loggedIn
      ? Math.max(created, dayStart - Math.floor(rand() * 90 * 86_400_000))
      : undefined;
    const updated = Math.max(created, lastLogin ?? created);
    let userId: string;
    let identity: Identity;
    switch (conn.strategy) {
      case 'auth0': {
        const id = hex(rand, 24);
        userId = `auth0|${id}`;
        identity = { connection: conn.name, user_id: id, provider: 'auth0', isSocial: false };
        break;
      }
      case 'google-oauth2':
      case 'github': {
        const id = digits(rand, conn.strategy === 'github' ? 8 : 21);
        userId = `${conn.strategy}|${id}`;
        identity = { connection: conn.name, user_id: id, provider: conn.strategy, isSocial: true };
        break;
      }
      default: {
        const id = `${conn.name}|${email}`;
        userId = `${conn.strategy}|${id}`;
        identity = { connection: conn.name, user_id: id, provider: conn.strategy, isSocial: false };
      }
    }
    const user: User = {
      user_id: userId,
      email,
      email_verified: conn.strategy === 'auth0' ? rand() < 0.85 : true,
      name: `${first} ${last}`,
      nickname: email.split('@')[0] as string,
      picture: `https://s.gravatar.com/avatar/${hex(rand, 32)}?s=480&r=pg&d=identicon`,
      created_at: iso(created),
      updated_at: iso(updated),
      identities: [identity],
      app_metadata: {
        plan: pick(rand, PLANS),
        customer_id: `cus_${alnumId(rand, 10)}`,
        ...(rand() < 0.2 ? { beta: true } : {}),
      },
      user_metadata: {
        theme: rand() < 0.5 ? 'dark' : 'light',
        language: pick(rand, ['en', 'en', 'fr', 'de', 'es', 'ja']),
        ...(rand() < 0.3 ? { addresses: [{ city: pick(rand, CITIES), primary: true }] } : {}),
      },
      logins_count: loggedIn ? 1 + Math.floor(rand() * 200) : 0,
    };
    if (conn.strategy !== 'auth0') {
      user.given_name = first;
      user.family_name = last;
    }
    if (lastLogin !== undefined) {
      user.last_login = iso(lastLogin);
      user.last_ip = `${pick(rand, loginIps)}${1 + Math.floor(rand() * 250)}`;
    }
    if (rand() < 0.03) user.blocked = true;
    if (rand() < 0.1) user.phone_number = `+1555${digits(rand, 7)}`;
    store.putUser(user);

    if (rand() < 0.3) {
      const n = 1 + Math.floor(rand() * 2);
      for (let k = 0; k < n; k++) store.roleUsers.get(pick(rand, roleIds))?.add(userId);
    }
    if (rand() < 0.2) seedMfa(store, rand, user, created);
    if (conn.strategy === 'auth0' && rand() < 0.01 && user.last_ip) {
      store.blocks.set(userId, [{ identifier: email, ip: user.last_ip, connection: conn.name }]);
    }
  }

  // Recent activity: logins and failures for the newest users, oldest first so the log reads in time order.
  const recent = [...store.users.values()].filter((u) => u.last_login).slice(-2000);
  recent.sort((a, b) => (a.last_login as string).localeCompare(b.last_login as string));
  for (const u of recent) {
    const ident = u.identities[0] as Identity;
    const conn = byName(ident.connection);
    const base = {
      client_id: store.clients[0]?.client_id,
      client_name: 'Tenant Desk Demo App',
      ip: u.last_ip,
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0',
      user_id: u.user_id,
      user_name: u.email,
      connection: conn.name,
      connection_id: conn.id,
      strategy: conn.strategy,
      strategy_type: ident.isSocial ? 'social' : conn.strategy === 'auth0' ? 'database' : 'enterprise',
      hostname: 'local-tenant',
      isMobile: false,
    };
    const when = Date.parse(u.last_login as string);
    if (rand() < 0.1)
      store.log({
        ...base,
        type: 'f',
        description: 'Wrong email or password.',
        date: new Date(when - 60_000),
      });
    store.log({
      ...base,
      type: 's',
      description: 'Successful login',
      date: new Date(when),
      details: { prompts: [] },
    });
  }
  seedSessions(store, prng(`${options.seed}:sessions`), dayStart);
  if (options.users > 0) seedOrganizations(store, prng(`${options.seed}:organizations`), dayStart);
}

/** The seeded organizations: name, display name, the email domain whose users belong to it, brand colours, metadata. */
const ORGANIZATIONS: {
  name: string;
  display_name: string;
  domain?: string;
  primary: string;
  background: string;
  metadata: Record<string, string>;
}[] = [
  {
    name: 'acme',
    display_name: 'Acme Corporation',
    domain: 'acme.example',
    primary: '#e4572e',
    background: '#fff8f0',
    metadata: { plan: 'enterprise', region: 'eu-west', account_manager: 'grace.hopper@example.com' },
  },
  {
    name: 'globex',
    display_name: 'Globex Corporation',
    domain: 'globex.example',
    primary: '#2e86ab',
    background: '#f4f9fc',
    metadata: { plan: 'pro', region: 'us-east' },
  },
  {
    name: 'initech',
    display_name: 'Initech',
    primary: '#5b5f97',
    background: '#f7f7fb',
    metadata: { plan: 'pro', region: 'us-west' },
  },
  {
    name: 'umbrella',
    display_name: 'Umbrella Corporation',
    primary: '#c1121f',
    background: '#fdf0f0',
    metadata: { plan: 'enterprise', region: 'eu-central' },
  },
  {
    name: 'stark',
    display_name: 'Stark Industries',
    primary: '#b08d57',
    background: '#fbf8f3',
    metadata: { plan: 'free', region: 'us-east' },
  },
];

/**
 * Organizations, from a generator of their own (so the rest of a seeded tenant is what the same seed always gave):
 * each with the users of its email domain (at most 40) and a few others; its first member by user id an "Admin", the
 * next two "Support Agent"s (roles of the organization); the database connection enabled on each (membership not
 * assigned at login, shown as a button), Acme's SAML connection on Acme; one pending invitation, to Globex.
 */
function seedOrganizations(store: TenantStore, rand: () => number, dayStart: number): void {
  const users = [...store.users.values()];
  const roleNamed = (name: string) => [...store.roles.values()].find((r) => r.name === name)?.id;
  const admin = roleNamed('Admin');
  const agent = roleNamed('Support Agent');
  const database = store.connectionByName('Username-Password-Authentication');
  const saml = store.connectionByName('acme-saml');
  const iso = (t: number) => new Date(t).toISOString();
  const day = 86_400_000;
  for (const o of ORGANIZATIONS) {
    const id = `org_${alnumId(rand, 16)}`;
    store.organizations.set(id, {
      id,
      name: o.name,
      display_name: o.display_name,
      branding: {
        logo_url: `https://logos.tenant-desk.local/${o.name}.svg`,
        colors: { primary: o.primary, page_background: o.background },
      },
      metadata: o.metadata,
    });
    const members = new Set<string>();
    if (o.domain)
      for (const u of users)
        if (members.size < 40 && u.email?.endsWith(`@${o.domain}`)) members.add(u.user_id);
    // A few others, distinct, whatever their domain.
    const target = Math.min(users.length, members.size + 3 + Math.floor(rand() * 6));
    while (members.size < target) members.add(pick(rand, users).user_id);
    store.orgMembers.set(id, members);
    const sorted = [...members].sort();
    sorted.forEach((userId, i) => {
      const role = i === 0 ? admin : i <= 2 ? agent : undefined;
      if (role) store.orgMemberRoles.set(orgMemberKey(id, userId), new Set([role]));
    });
    const enabled = [];
    if (database)
      enabled.push({
        connection_id: database.id,
        assign_membership_on_login: false,
        is_signup_enabled: false,
        show_as_button: true,
      });
    if (o.name === 'acme' && saml)
      enabled.push({ connection_id: saml.id, assign_membership_on_login: true, show_as_button: true });
    store.orgConnections.set(id, enabled);
    if (o.name === 'globex') {
      const created = dayStart - (1 + Math.floor(rand() * 3)) * day;
      const inviter = store.users.get(sorted[0]!);
      store.orgInvitations.set(id, [
        {
          id: `uinv_${alnumId(rand, 16)}`,
          client_id: APPLICATIONS[0].client_id,
          inviter: { name: inviter?.name ?? 'Globex Admin' },
          invitee: { email: 'new.hire@globex.example' },
          ticket_id: alnumId(rand, 32),
          created_at: iso(created),
          expires_at: iso(created + 7 * day),
          organization_id: id,
        },
      ]);
    }
  }
}

const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
];
const PHONES = [
  'AcmeMobile/4.2 (iPhone; iOS 18.1; Scale/3.00)',
  'AcmeMobile/4.2 (Linux; Android 15; Pixel 8)',
];

/**
 * Sessions, refresh tokens and consents for the users who signed in within 30 days (from a generator of their own,
 * so the rest of a seeded tenant is what the same seed always gave): a browser session at their last login; for
 * some a second one on the phone app, with a rotating refresh token bound to it and the app's consent.
 */
function seedSessions(store: TenantStore, rand: () => number, dayStart: number): void {
  const [web, mobile] = APPLICATIONS;
  const reports = [...store.resourceServers.values()].find((rs) => rs.name === 'Reports API');
  const iso = (t: number) => new Date(t).toISOString();
  const day = 86_400_000;
  for (const user of store.users.values()) {
    if (!user.last_login || !user.last_ip) continue;
    const at = Date.parse(user.last_login);
    if (dayStart - at > 30 * day) continue;
    const sid = () => alnumId(rand, 32);
    const interacted = at + Math.floor(rand() * day);
    const browser = pick(rand, BROWSERS);
    const sessions: Session[] = [
      {
        id: sid(),
        user_id: user.user_id,
        created_at: iso(at),
        updated_at: iso(interacted),
        authenticated_at: iso(at),
        idle_expires_at: iso(interacted + 3 * day),
        expires_at: iso(at + 30 * day),
        last_interacted_at: iso(interacted),
        device: {
          initial_user_agent: browser,
          initial_ip: user.last_ip,
          initial_asn: '64496',
          last_user_agent: browser,
          last_ip: user.last_ip,
          last_asn: '64496',
        },
        clients: [{ client_id: web.client_id }],
        authentication: { methods: [{ name: 'pwd', timestamp: iso(at) }] },
        cookie: { mode: 'persistent' },
      },
    ];
    if (rand() < 0.4) {
      const phone = pick(rand, PHONES);
      const started = at - Math.floor(rand() * 10 * day);
      const ip = `198.51.100.${1 + Math.floor(rand() * 250)}`;
      const session: Session = {
        id: sid(),
        user_id: user.user_id,
        created_at: iso(started),
        updated_at: iso(at),
        authenticated_at: iso(started),
        idle_expires_at: iso(at + 14 * day),
        expires_at: iso(started + 30 * day),
        last_interacted_at: iso(at),
        device: {
          initial_user_agent: phone,
          initial_ip: ip,
          initial_asn: '64500',
          last_user_agent: phone,
          last_ip: ip,
          last_asn: '64500',
        },
        clients: [{ client_id: mobile.client_id }],
        authentication: { methods: [{ name: 'pwd', timestamp: iso(started) }] },
        cookie: { mode: 'persistent' },
      };
      sessions.push(session);
      const token: RefreshToken = {
        id: `rt_${alnumId(rand, 16)}`,
        user_id: user.user_id,
        created_at: iso(started),
        idle_expires_at: iso(at + 15 * day),
        expires_at: iso(started + 30 * day),
        last_exchanged_at: iso(at),
        device: {
          initial_ip: ip,
          initial_asn: '64500',
          initial_user_agent: phone,
          last_ip: ip,
          last_asn: '64500',
          last_user_agent: phone,
        },
        client_id: mobile.client_id,
        session_id: session.id,
        rotating: true,
        resource_servers: reports
          ? [{ audience: reports.identifier, scopes: 'openid profile offline_access read:reports' }]
          : [],
      };
      store.refreshTokens.set(user.user_id, [token]);
      if (reports)
        store.grants.set(user.user_id, [
          {
            id: `cgr_${alnumId(rand, 16)}`,
            clientID: mobile.client_id,
            user_id: user.user_id,
            audience: reports.identifier,
            scope: ['openid', 'profile', 'offline_access', 'read:reports'],
          },
        ]);
    }
    store.sessions.set(user.user_id, sessions);
  }
}

function seedMfa(store: TenantStore, rand: () => number, user: User, created: number): void {
  const kind = pick(rand, ['guardian', 'otp', 'sms'] as const);
  const at = new Date(created + Math.floor(rand() * 30 * 86_400_000)).toISOString();
  const enrollment: Enrollment = {
    id: `${kind === 'sms' ? 'sms' : kind === 'otp' ? 'totp' : 'push'}|dev_${alnumId(rand, 16)}`,
    status: 'confirmed',
    type: kind === 'guardian' ? 'pn' : kind === 'otp' ? 'authenticator' : 'sms',
    auth_method: kind === 'guardian' ? 'guardian' : kind === 'otp' ? 'authenticator' : 'sms',
    enrolled_at: at,
    ...(kind === 'guardian' ? { name: 'Pixel 8' } : {}),
    ...(kind === 'sms' ? { phone_number: `+1555${digits(rand, 7)}` } : {}),
  };
  store.enrollments.set(user.user_id, [enrollment]);
  const method: AuthenticationMethod = {
    id: enrollment.id,
    type: kind === 'guardian' ? 'push-notification' : kind === 'otp' ? 'totp' : 'phone',
    confirmed: true,
    created_at: at,
    ...(enrollment.name ? { name: enrollment.name } : {}),
    ...(enrollment.phone_number ? { phone_number: enrollment.phone_number } : {}),
    authentication_methods: [
      { id: enrollment.id, type: kind === 'guardian' ? 'push' : kind === 'otp' ? 'totp' : 'phone' },
    ],
  };
  store.authenticationMethods.set(user.user_id, [method]);
  user.multifactor = [kind];
}
