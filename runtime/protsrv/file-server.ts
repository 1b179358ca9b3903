/**
 * A file server in one call: protsrv over a root directory, served by the session layer. named
 * and the tests use it.
 */
import { dispatchSigmap } from "../../generated/sigmap/server.js";
import type { Dir } from "../fs/index.js";
import { startSessionServer } from "../session/server/session-server.js";
import type {
  SessionServer,
  SessionServerOptions,
  SessionTransportOptions,
} from "../session/server/server-types.js";
import { createProtServer, type ProtServer, type ProtServerOptions } from "./prot-server.js";
import { RootRealm } from "../../generated/sigmap/types.js";
import { KeyRing } from "../auth/index.js";
import type { TlsServerOptions } from "../session/server/server-types.js";

export interface FileServerOptions
  extends
    ProtServerOptions,
    Omit<SessionServerOptions, "dispatch" | "onDetach">,
    SessionTransportOptions {
  /** The tree to serve. Default: the root of a new MemFs. */
  root?: Dir;
  /**
   * The realm of client-certificate principals when mutual TLS is on and no `auth` is given
   * (each certificate's CN is then its session's user, docs/security.md). Default `rootrealm`.
   */
  realm?: string;
}

export interface FileServer {
  /** `host:port` it listens on. */
  readonly addr: string;
  readonly protsrv: ProtServer;
  readonly sessions: SessionServer;
  close(): Promise<void>;
}

export async function startFileServer(opts: FileServerOptions = {}): Promise<FileServer> {
  const {
    root,
    allocId,
    now,
    epochFiles,
    remoteEpochs,
    fenceStore,
    maxWalkNames,
    maxFidsPerSession,
    maxFids,
    maxFences,
    maxFencesPerSession,
    realm,
    ...given
  } = opts;
  // Mutual TLS without keys still has principals, as at named: each certificate's CN, with no
  // key to accept a token by (hello-auth.ts).
  const sessionOpts =
    given.auth === undefined && mutualTls(given.tls)
      ? { ...given, auth: { keys: new KeyRing([]), realm: realm ?? RootRealm } }
      : given;
  // maxFrame is one option for both layers: the session layer's frame limit is also the size
  // protsrv clamps reads to.
  const protsrv = createProtServer({
    root,
    allocId,
    now,
    epochFiles,
    remoteEpochs,
    fenceStore,
    maxWalkNames,
    maxFidsPerSession,
    maxFids,
    maxFences,
    maxFencesPerSession,
    maxFrame: sessionOpts.maxFrame,
  });
  const sessions = await startSessionServer({
    ...sessionOpts,
    dispatch: (type, body, data, ctx) => dispatchSigmap(protsrv.handlers, type, body, data, ctx),
    onDetach: (s) => protsrv.onDetach(s),
  });
  return {
    addr: sessions.addr,
    protsrv,
    sessions,
    close: () => sessions.close(),
  };
}

/** Whether clients must present a certificate (their CN is then their user). */
export function mutualTls(tls: TlsServerOptions | undefined): boolean {
  return tls?.ca !== undefined && tls.requestClientCert !== false;
}
