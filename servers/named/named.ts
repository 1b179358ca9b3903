/**
 * named, the root name server: a memfs file server holding the boot layout. Other servers
 * register in it with ephemeral mount symlinks; clients mount it at `name/`.
 */
import { Perm, RootRealm } from "../../generated/sigmap/types.js";
import type { KeyRing } from "../../runtime/auth/index.js";
import { DEFAULT_HOST } from "../../runtime/defaults.js";
import { MemFs, type Dir } from "../../runtime/fs/index.js";
import { logger } from "../../runtime/log.js";
import { withDefaults } from "../../runtime/options.js";
import { startFileServer } from "../../runtime/protsrv/file-server.js";
import type { TlsServerOptions } from "../../runtime/session/server/server-types.js";
import { bootDirs } from "./layout.js";
import { namedSessionAuth, SHARED_DIR } from "./named-auth.js";

const log = logger("protsrv");

export interface NamedOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: an ephemeral port. SigmaOS's harness uses 1111. */
  port?: number;
  /** Default "rootrealm". */
  realm?: string;
  /** Sessions without a connection for this long are detached. Default 1000 ms. */
  sessionTimeoutMs?: number;
  /** memfs's byte quota (MemFsOptions.maxBytes). Default 1 GiB. */
  maxBytes?: number;
  /** Serve over TLS (mutual TLS with `tls.ca`: clients need a certificate it signed). */
  tls?: TlsServerOptions;
  /**
   * Public keys (`--auth-keys`): every hello must carry a token of `realm` signed by one of
   * them, and permissions are enforced (docs/security.md). Default none: open, as before.
   */
  authKeys?: KeyRing;
  /** Clock-skew tolerance for tokens; default runtime/auth's (60 s). */
  authSkewMs?: number;
  /** Where refused hellos are reported, one line each; default stderr. */
  onRefused?: (line: string) => void;
  /**
   * Serve a non-loopback `host` without `authKeys`, or with keys but without `tls`. Default
   * false: startup fails with Inval saying why (docs/security.md, "Defaults").
   */
  insecure?: boolean;
}

export interface Named {
  /** `host:port` as bound; what clients put in SIGMA_NAMED. */
  readonly addr: string;
  readonly realm: string;
  close(): Promise<void>;
}

const DEFAULTS = { host: DEFAULT_HOST, port: 0, realm: RootRealm };

/** Starts named in this process and resolves once it serves, its boot layout in place. */
export async function startNamed(opts: NamedOptions = {}): Promise<Named> {
  const o = withDefaults(DEFAULTS, opts);
  const auth = namedSessionAuth(o);
  const secured = auth !== undefined;
  const fs = new MemFs(
    secured
      ? { maxBytes: o.maxBytes, rootPerm: SHARED_DIR, indexIds: true }
      : { maxBytes: o.maxBytes },
  );
  for (const dir of bootDirs(o.realm)) {
    if (secured) await mkdirShared(fs, dir);
    else await fs.mkdirAll(dir);
  }
  const server = await startFileServer({
    root: fs.root,
    host: o.host,
    port: o.port,
    sessionTimeoutMs: o.sessionTimeoutMs,
    tls: o.tls,
    name: "named",
    insecure: o.insecure,
    // Epoch files live in named, so it checks every fence against its file (docs/security.md).
    ...(secured ? { epochFiles: (id: bigint) => fs.byId(id), auth } : {}),
  });
  log("named %s serving realm %s", server.addr, o.realm);
  return { addr: server.addr, realm: o.realm, close: () => server.close() };
}

async function mkdirShared(fs: MemFs, path: string): Promise<void> {
  let dir: Dir = fs.root;
  for (const name of path.split("/")) {
    const found = await dir.lookup(name);
    const next = found ?? (await dir.create(name, Perm.DMDIR | SHARED_DIR, { owner: "" }));
    if (next.kind !== "dir") throw new Error(`named: boot path ${path} is not a directory`);
    dir = next;
  }
}
