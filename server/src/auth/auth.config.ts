import { envFlag, envInteger } from '../common/config/env.js';
import { type Role, ROLES } from '../common/http/access.js';

export interface ProxyRoleRule {
  /** An e-mail address, or `*@domain` for everyone at that domain. */
  pattern: string;
  role: Role;
}

export interface AuthConfig {
  /** SWITCHBOARD_ADMIN_TOKEN: accepted as an admin token, never stored. */
  adminToken?: string;
  /** SWITCHBOARD_TRUST_PROXY_AUTH: take the user from X-Forwarded-Email (an SSO proxy sets it). */
  trustProxyAuth: boolean;
  /** SWITCHBOARD_PROXY_ROLES, e.g. `alice@corp.com=admin,*@corp.com=editor`; first match wins. */
  proxyRoles: ProxyRoleRule[];
  /** SWITCHBOARD_PROXY_DEFAULT_ROLE: the role of proxy users no rule matches; unset = no access. */
  proxyDefaultRole?: Role;
  /** Writes (any method but GET/HEAD) one principal may send per window, on one instance. */
  writeLimit: number;
  writeWindowSeconds: number;
  /** SWITCHBOARD_METRICS_PUBLIC: serve /metrics without a token. */
  publicMetrics: boolean;
  /**
   * Create and print the first admin token when none exists (the server's first start). The
   * command line turns it off: it would print a secret into a script's output.
   */
  createFirstToken?: boolean;
}

export const MIN_ADMIN_TOKEN_LENGTH = 24;

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const adminToken = env.SWITCHBOARD_ADMIN_TOKEN?.trim() || undefined;
  if (adminToken && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(`SWITCHBOARD_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (try: openssl rand -base64 32)`);
  }
  return {
    adminToken,
    trustProxyAuth: envFlag(env, 'SWITCHBOARD_TRUST_PROXY_AUTH'),
    proxyRoles: proxyRoles(env.SWITCHBOARD_PROXY_ROLES),
    proxyDefaultRole: optionalRole('SWITCHBOARD_PROXY_DEFAULT_ROLE', env.SWITCHBOARD_PROXY_DEFAULT_ROLE),
    writeLimit: envInteger(env, 'SWITCHBOARD_WRITE_RATE_LIMIT', 120, { min: 1 }),
    writeWindowSeconds: envInteger(env, 'SWITCHBOARD_WRITE_RATE_WINDOW_SECONDS', 60, { min: 1, unit: 'seconds' }),
    publicMetrics: envFlag(env, 'SWITCHBOARD_METRICS_PUBLIC'),
  };
}

function proxyRoles(raw: string | undefined): ProxyRoleRule[] {
  return (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [pattern, role] = entry.split('=').map((part) => part.trim());
      if (!pattern || !/^(\*|[^@\s*]+)@[^@\s*]+$/.test(pattern)) {
        throw new Error(`SWITCHBOARD_PROXY_ROLES: "${entry}" must be <email>=<role> or *@<domain>=<role>`);
      }
      return { pattern: pattern.toLowerCase(), role: optionalRole('SWITCHBOARD_PROXY_ROLES', role) ?? invalidRole(entry) };
    });
}

function optionalRole(name: string, raw: string | undefined): Role | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new Error(`${name}: "${value}" is not a role; use one of ${ROLES.join(', ')}`);
  }
  return value as Role;
}

function invalidRole(entry: string): never {
  throw new Error(`SWITCHBOARD_PROXY_ROLES: "${entry}" names no role; use one of ${ROLES.join(', ')}`);
}

/** The role of a user the proxy vouches for, or undefined when they get none. */
export function proxyRoleFor(config: AuthConfig, email: string): Role | undefined {
  const address = email.toLowerCase();
  const domain = address.slice(address.lastIndexOf('@'));
  const rule = config.proxyRoles.find((r) => r.pattern === address || (r.pattern.startsWith('*@') && r.pattern.slice(1) === domain));
  return rule?.role ?? config.proxyDefaultRole;
}
