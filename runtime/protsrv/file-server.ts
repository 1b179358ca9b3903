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
} from "../session/shared/types.js";
import { createProtServer, type ProtServer, type ProtServerOptions } from "./prot-server.js";

export interface FileServerOptions
  extends
    ProtServerOptions,
    Omit<SessionServerOptions, "dispatch" | "onDetach">,
    SessionTransportOptions {
  /** The tree to serve. Default: the root of a new MemFs. */
  root?: Dir;
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
    maxWalkNames,
    maxFidsPerSession,
    maxFids,
    maxFences,
    maxFencesPerSession,
    ...sessionOpts
  } = opts;
  // maxFrame is one option for both layers: the session layer's frame limit is also the size
  // protsrv clamps reads to.
  const protsrv = createProtServer({
    root,
    allocId,
    now,
    epochFiles,
    remoteEpochs,
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
