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
  GRPCUnavailableError,
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
    if (!/authentication is not enabled/.test(String(e))) {
      throw explainEtcdRefusal(e, `etcd user "root"`) ?? e;
    }
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
    // A role someone widened by hand would give named more than its prefix: refuse to use it.
    const wider = (await admin.role(role).permissions()).filter(
      (p) => p.range.start.toString() !== prefix || p.permission !== "Readwrite",
    );
    if (wider.length > 0) {
      const what = wider.map((p) => `${p.permission} ${p.range.start.toString()}`).join(", ");
      throw new Error(`etcd role ${role} also grants ${what}: revoke it, or use another realm`);
    }
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
 * Fails with one clear line if etcd refuses `conn`'s user (a wrong password, no user while
 * etcd's auth is on, no permission on `prefix`). Other failures (etcd not reachable yet) pass: a
 * replica waits for etcd as before.
 */
export async function checkEtcdAccess(
  client: Etcd3,
  prefix: string,
  conn: EtcdConnection,
): Promise<void> {
  try {
    await client.get(`${prefix}leader`).exec();
  } catch (e) {
    const refusal = etcdRefusal(e, conn, prefix);
    if (refusal !== undefined) throw refusal;
  }
}

/**
 * The one-line reason etcd refused `conn` (its user, its role on `prefix`, TLS), or undefined
 * if `e` is no refusal: a refusal is a setting to fix, which no retry mends.
 */
export function etcdRefusal(e: unknown, conn: EtcdConnection, prefix?: string): Error | undefined {
  return explainEtcdRefusal(e, whoIs(conn), prefix);
}

/** Who `conn` logs in as, for messages: never the password. */
function whoIs(conn: EtcdConnection): string {
  if (conn.auth !== undefined) return `etcd user "${conn.auth.username}"`;
  if (conn.tls?.cert !== undefined) return "the client certificate's user";
  return "no etcd user";
}

/** The one-line reason etcd refused `user`, or undefined if `e` is no refusal. */
function explainEtcdRefusal(e: unknown, who: string, prefix?: string): Error | undefined {
  if (e instanceof EtcdAuthenticationFailedError) {
    return new Error(`etcd refused ${who}: wrong user name or password`, { cause: e });
  }
  if (e instanceof EtcdPermissionDeniedError) {
    const what = prefix === undefined ? "this" : `the keys under ${prefix}`;
    return new Error(`etcd refused ${who}: permission denied on ${what}`, { cause: e });
  }
  // gRPC reports a handshake the CA did not verify as "unavailable", like etcd being down; its
  // last error says which, and that one cannot be waited out.
  const tls = /Last error: (?:Error: )?([^.]*(?:certificate|SSL|handshake)[^.]*)/i.exec(String(e));
  if (e instanceof GRPCUnavailableError && tls !== null) {
    return new Error(`etcd's TLS was not accepted: ${tls[1]} (check --etcd-ca, --etcd-cert)`, {
      cause: e,
    });
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
