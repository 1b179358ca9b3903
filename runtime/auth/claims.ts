/**
 * What a token says: who (user), where (realm), with what authority (role), and when it is
 * valid. Names are restricted to a small alphabet because they become file owners, log fields
 * and path-like identifiers; a token can never smuggle a `/`, a NUL or a control character.
 */

/** `admin` may do everything in its realm, `user` what perms allow, `readonly` read and watch. */
export const ROLES = ["admin", "user", "readonly"] as const;

export type Role = (typeof ROLES)[number];

/** A proven identity: what a server keeps for a session once its token verified. */
export interface Principal {
  readonly user: string;
  readonly realm: string;
  readonly role: Role;
}

/** Everything a token carries. Times are whole seconds since the Unix epoch. */
export interface TokenClaims extends Principal {
  /** Issued at. */
  readonly iat: number;
  /** Not valid before. */
  readonly nbf: number;
  /** Not valid from this second on. */
  readonly exp: number;
  /** The id of the key that signed it (see key-id.ts). */
  readonly kid: string;
}

const USER_RE = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;
const REALM_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why `user` cannot be a token's user, or null if it can. */
export function badUser(user: unknown): string | null {
  if (typeof user !== "string") return "user is not a string";
  return USER_RE.test(user)
    ? null
    : `user ${JSON.stringify(user.slice(0, 80))}: 1-64 of A-Z a-z 0-9 . _ @ + -, not starting with a symbol`;
}

/** Why `realm` cannot be a token's realm, or null if it can. */
export function badRealm(realm: unknown): string | null {
  if (typeof realm !== "string") return "realm is not a string";
  return REALM_RE.test(realm)
    ? null
    : `realm ${JSON.stringify(realm.slice(0, 80))}: 1-64 of A-Z a-z 0-9 . _ -, not starting with a symbol`;
}

export function isRole(role: unknown): role is Role {
  return typeof role === "string" && (ROLES as readonly string[]).includes(role);
}
