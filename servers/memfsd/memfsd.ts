/**
 * memfsd: a memfs file server that registers itself in named (spec 10.1, 10.3). Its address goes
 * into named as an ephemeral mount-record symlink at `pn`, written by the server's own FsLib
 * session, so the registration vanishes when the server stops or its session to named times out.
 * Clients reach it by walking `pn` (e.g. `name/memfsd/a/`), which mounts it on first use.
 */
import { RootRealm } from "../../generated/sigmap/types.js";
import type { KeyRing } from "../../runtime/auth/index.js";
import { FsLib, namedEpochs, netWithTls, type FsLibOptions } from "../../runtime/client/index.js";
import { DEFAULT_HOST } from "../../runtime/defaults.js";
import { logger } from "../../runtime/log.js";
import { withDefaults } from "../../runtime/options.js";
import { startFileServer } from "../../runtime/protsrv/file-server.js";
import type { TlsServerOptions } from "../../runtime/session/server/server-types.js";

const log = logger("protsrv");

export interface MemfsdOptions {
  /** named's address(es), as for FsLib.connect. */
  named: string | readonly string[];
  /** Where to register in named; a trailing `/` makes a union entry named by the address. */
  pn: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** This server's own session timeout (its clients' sessions). Default 1000 ms. */
  sessionTimeoutMs?: number;
  /** The network written into the mount record. Default "rootrealm". */
  net?: string;
  /** Settings of the FsLib that registers in named (its session timeout, keepalive, token, …). */
  client?: Omit<FsLibOptions, "named">;
  /** Serve over TLS; its client of named takes its own `client.tls`. */
  tls?: TlsServerOptions;
  /** Public keys: every hello must carry a token of the client's realm. Default none (open). */
  authKeys?: KeyRing;
  /**
   * Serve a non-loopback `host` without `authKeys`, or with keys but without `tls`. Default
   * false: startup fails with Inval saying why (docs/security.md, "Defaults").
   */
  insecure?: boolean;
}

export interface Memfsd {
  /** `host:port` it serves on. */
  readonly addr: string;
  /** Where it registered in named. */
  readonly pn: string;
  /** The registering client: the registration lives as long as its session to named. */
  readonly fsl: FsLib;
  /** Unregisters (the FsLib exits, removing the symlink) and stops serving. */
  close(): Promise<void>;
}

const DEFAULTS = { host: DEFAULT_HOST, port: 0, net: RootRealm };

/** Starts a memfs server and registers it at `pn` in named; resolves once both are done. */
export async function startMemfsd(opts: MemfsdOptions): Promise<Memfsd> {
  const o = withDefaults(DEFAULTS, opts);
  // Fences are checked against their epoch files in named, read through the registering client
  // once it exists (before, no fence can be shown held).
  let fsl: FsLib | undefined;
  const epochs = (id: bigint) =>
    fsl === undefined ? Promise.resolve(undefined) : namedEpochs(fsl)(id);
  const server = await startFileServer({
    remoteEpochs: epochs,
    host: o.host,
    port: o.port,
    sessionTimeoutMs: o.sessionTimeoutMs,
    tls: o.tls,
    realm: o.client?.realm ?? RootRealm,
    name: "memfsd",
    insecure: o.insecure,
    ...(o.authKeys === undefined
      ? {}
      : { auth: { keys: o.authKeys, realm: o.client?.realm ?? RootRealm } }),
  });
  try {
    fsl = await FsLib.connect({ ...o.client, named: o.named });
    await fsl.mkMountSymlink(o.pn, {
      addr: [{ addr: server.addr, net: netWithTls(o.net, o.tls !== undefined) }],
      root: "",
      pubKey: new Uint8Array(),
    });
  } catch (e) {
    await fsl?.exit().catch(() => undefined);
    await server.close();
    throw e;
  }
  log("memfsd %s registered at %s", server.addr, o.pn);
  const client = fsl;
  return {
    addr: server.addr,
    pn: o.pn,
    fsl: client,
    close: async () => {
      await client.exit().catch(() => undefined);
      await server.close();
    },
  };
}
