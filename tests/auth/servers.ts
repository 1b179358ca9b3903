/** Servers that check tokens, and clients that carry them, for the phase-2 auth tests. */
import { issueToken, type IssueRequest, type Role } from "../../runtime/auth/index.js";
import { FsLib, type FsLibOptions } from "../../runtime/client/fslib/fslib.js";
import { isSigmaError } from "../../runtime/errors/index.js";
import { startFileServer, type FileServer } from "../../runtime/protsrv/file-server.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { newKey, ring, type TestKey } from "./helpers.js";

export const REALM = "rootrealm";

export interface AuthServer<S> {
  readonly server: S;
  readonly addr: string;
  readonly key: TestKey;
  /** Every refused hello's line, in order. */
  readonly refusals: string[];
  /** A token of `key` (user role, this realm, 1 h unless said otherwise). */
  token(user: string, req?: Partial<IssueRequest>): string;
  /** A client of the server as `user` with `role`. */
  connect(user: string, role?: Role, opts?: Partial<FsLibOptions>): Promise<FsLib>;
  close(): Promise<void>;
}

function wrap<S>(
  server: S,
  addr: string,
  key: TestKey,
  refusals: string[],
  close: () => Promise<void>,
): AuthServer<S> {
  const token = (user: string, req: Partial<IssueRequest> = {}): string =>
    issueToken(key.privateKey, { user, realm: REALM, ...req });
  return {
    server,
    addr,
    key,
    refusals,
    token,
    connect: (user, role = "user", opts = {}) =>
      FsLib.connect({ named: addr, localIp: "127.0.0.1", token: token(user, { role }), ...opts }),
    close,
  };
}

/** A bare file server (memfs under protsrv) that requires tokens; its sessions can be counted. */
export async function startAuthFileServer(): Promise<AuthServer<FileServer>> {
  const key = newKey();
  const refusals: string[] = [];
  const server = await startFileServer({
    host: "127.0.0.1",
    port: 0,
    auth: { keys: ring(key), realm: REALM, onRefused: (l) => refusals.push(l) },
  });
  return wrap(server, server.addr, key, refusals, () => server.close());
}

/** named with `--auth-keys`. */
export async function startAuthNamed(): Promise<AuthServer<Named>> {
  const key = newKey();
  const refusals: string[] = [];
  const named = await startNamed({
    authKeys: ring(key),
    realm: REALM,
    onRefused: (l) => refusals.push(l),
  });
  return wrap(named, named.addr, key, refusals, () => named.close());
}

/** The SigmaError code `p` fails with; throws if it succeeds or fails otherwise. */
export async function codeOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    if (isSigmaError(e)) return e.code;
    throw e;
  }
  throw new Error("expected an error");
}
