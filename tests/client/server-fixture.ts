/**
 * File servers and clients for the end-to-end tests: a memfs file server on an ephemeral port.
 */
import { FsLib, type FsLibOptions } from "../../runtime/client/fslib/fslib.js";
import { startFileServer } from "../../runtime/protsrv/file-server.js";

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
  const srv = await startFileServer({ host: "127.0.0.1", port: 0, sessionTimeoutMs });
  return {
    addr: srv.addr,
    sessions: () => srv.sessions.sessions().map((s) => s.id),
    detach: (id) => srv.sessions.detach(id),
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
