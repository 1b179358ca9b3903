/**
 * named, the root name server: a memfs file server holding the boot layout. Other servers
 * register in it with ephemeral mount symlinks; clients mount it at `name/`.
 */
import { RootRealm } from "../../generated/sigmap/types.js";
import { DEFAULT_HOST } from "../../runtime/defaults.js";
import { MemFs } from "../../runtime/fs/index.js";
import { logger } from "../../runtime/log.js";
import { withDefaults } from "../../runtime/options.js";
import { startFileServer } from "../../runtime/protsrv/file-server.js";
import type { TlsServerOptions } from "../../runtime/session/shared/types.js";
import { bootDirs } from "./layout.js";

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
  const fs = new MemFs({ maxBytes: o.maxBytes });
  for (const dir of bootDirs(o.realm)) await fs.mkdirAll(dir);
  const server = await startFileServer({
    root: fs.root,
    host: o.host,
    port: o.port,
    sessionTimeoutMs: o.sessionTimeoutMs,
    tls: o.tls,
  });
  log("named %s serving realm %s", server.addr, o.realm);
  return { addr: server.addr, realm: o.realm, close: () => server.close() };
}
