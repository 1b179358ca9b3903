/**
 * named's own etcd user (docs/named-etcd.md, "Running it with etcd auth"): a role that may read
 * and write one realm's key prefix and nothing else, a user that holds only that role, and etcd's
 * auth turned on, so that a named (or anything holding its password) cannot read or change
 * another realm's tree or any other key in the cluster. Everything named writes — objects, the
 * id counter, the election key, session leases' keys — is under the prefix, so the role needs
 * no more (etcd checks a lease's revoke against the keys attached to it).
 */
import {
  EtcdAuthenticationFailedError,
  EtcdPermissionDeniedError,
  EtcdRoleExistsError,
  EtcdUserExistsError,
  type Etcd3,
} from "etcd3";
import { etcdClient, type EtcdConnection } from "./etcd-client.js";

/** The key prefix of `realm`'s tree. */
export function realmPrefix(realm: string): string {
  return `/sigma/${realm}/`;
}

/** The etcd role `setupNamedUser` creates for `realm`. */
export function namedRole(realm: string): string {
  return `sigma-named-${realm}`;
}

export interface NamedUserSetup {
  endpoints: readonly string[];
  /** TLS to etcd, if it serves TLS; the user comes from `user`/`password` below. */
  tls?: EtcdConnection["tls"];
  realm: string;
  /** named's etcd user and its password. */
  user: string;
  password: string;
  /**
   * etcd's `root` password: created with it while etcd's auth is off (auth needs a root user),
   * the login for the changes once auth is on.
   */
  rootPassword: string;
}

export interface NamedUserResult {
  role: string;
  prefix: string;
  /** Whether this call turned etcd's auth on (false: it was on already). */
  enabledAuth: boolean;
}

/**
 * Creates (or updates) `user` with only the role of `realm`'s prefix and turns etcd's auth on.
 * Idempotent: run again for another realm, or to change the password.
 */
export async function setupNamedUser(o: NamedUserSetup): Promise<NamedUserResult> {
  const tls = o.tls === undefined ? {} : { tls: o.tls };
  let admin = etcdClient(o.endpoints, {
    ...tls,
    auth: { username: "root", password: o.rootPassword },
  });
  let authOn = true;
  try {
    await admin.getRoles();
  } catch (e) {
    admin.close();
    // etcd 3.4 has no auth-status call; a root login before auth is on says so.
    if (!/authentication is not enabled/.test(String(e))) throw explainEtcdRefusal(e, "root") ?? e;
    authOn = false;
    admin = etcdClient(o.endpoints, tls);
  }
  const role = namedRole(o.realm);
  const prefix = realmPrefix(o.realm);
  try {
    if (!authOn) {
      await ignoring(EtcdUserExistsError, admin.user("root").create(o.rootPassword));
      await admin.user("root").addRole("root");
    }
    await ignoring(EtcdRoleExistsError, admin.role(role).create());
    await admin.role(role).grant({ permission: "Readwrite", range: admin.range({ prefix }) });
    await createOrReset(admin, o.user, o.password);
    const others = (await admin.user(o.user).roles()).map((r) => r.name).filter((r) => r !== role);
    if (others.length > 0) {
      throw new Error(
        `etcd user "${o.user}" also has role(s) ${others.join(", ")}: give named a user of its own`,
      );
    }
    await admin.user(o.user).addRole(role);
    if (!authOn) await admin.auth.authEnable();
    return { role, prefix, enabledAuth: !authOn };
  } finally {
    admin.close();
  }
}

/**
 * Fails with one clear line if etcd refuses `user` (a wrong password, no user while etcd's auth
 * is on, no permission on `prefix`). Other failures (etcd not reachable yet) pass: a replica
 * waits for etcd as before.
 */
export async function checkEtcdAccess(
  client: Etcd3,
  prefix: string,
  user: string | undefined,
): Promise<void> {
  try {
    await client.get(`${prefix}leader`).exec();
  } catch (e) {
    const refusal = explainEtcdRefusal(e, user, prefix);
    if (refusal !== undefined) throw refusal;
  }
}

/** The one-line reason etcd refused `user`, or undefined if `e` is no refusal. */
function explainEtcdRefusal(
  e: unknown,
  user: string | undefined,
  prefix?: string,
): Error | undefined {
  const who = user === undefined ? "no etcd user" : `etcd user "${user}"`;
  if (e instanceof EtcdAuthenticationFailedError) {
    return new Error(`etcd refused ${who}: wrong user name or password`, { cause: e });
  }
  if (e instanceof EtcdPermissionDeniedError) {
    const what = prefix === undefined ? "this" : `the keys under ${prefix}`;
    return new Error(`etcd refused ${who}: permission denied on ${what}`, { cause: e });
  }
  if (/user name is empty/.test(String(e))) {
    return new Error(
      `etcd refused ${who}: its auth is on (give --etcd-user and --etcd-password-file)`,
      { cause: e },
    );
  }
  return undefined;
}

async function createOrReset(admin: Etcd3, user: string, password: string): Promise<void> {
  try {
    await admin.user(user).create(password);
  } catch (e) {
    if (!(e instanceof EtcdUserExistsError)) throw e;
    await admin.user(user).setPassword(password);
  }
}

async function ignoring(kind: abstract new (...a: never[]) => Error, p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof kind)) throw e;
  }
}
