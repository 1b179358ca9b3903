/**
 * File servers and clients for the end-to-end tests. The server is protsrv over memfs behind a
 * session server on an ephemeral port: what `startFileServer` assembles.
 */
import { dispatchSigmap } from "../../generated/sigmap/server.js";
import { FsLib, type FsLibOptions } from "../../runtime/client/fslib.js";
import { createProtServer } from "../../runtime/protsrv/index.js";
import { startSessionServer } from "../../runtime/session/index.js";

export interface TestServer {
  addr: string;
  /** Live session ids on the server. */
  sessions(): bigint[];
  /** Detaches a session now, as a server-side timeout would. */
  detach(session: bigint): Promise<void>;
  close(): Promise<void>;
}

/** Starts a memfs file server on 127.0.0.1. */
export async function startTestServer(sessionTimeoutMs = 1000): Promise<TestServer> {
  const prot = createProtServer();
  const srv = await startSessionServer({
    dispatch: (type, body, data, ctx) => dispatchSigmap(prot.handlers, type, body, data, ctx),
    onDetach: (s) => prot.onDetach(s),
    host: "127.0.0.1",
    port: 0,
    sessionTimeoutMs,
  });
  return {
    addr: srv.addr,
    sessions: () => srv.sessions().map((s) => s.id),
    detach: (id) => srv.detach(id),
    close: () => srv.close(),
  };
}

/** A client of `named` with test-friendly defaults. */
export function connect(named: string, opts: Partial<FsLibOptions> = {}): Promise<FsLib> {
  return FsLib.connect({ named, localIp: "127.0.0.1", ...opts });
}

/** UTF-8 bytes. */
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
/** UTF-8 text. */
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);
