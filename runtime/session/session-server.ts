/**
 * sesssrv: the server side of the session layer (spec 3) on top of netsrv.
 */
import { listen } from "../net/netsrv.js";
import type { NetServer, NetServerOptions } from "../net/types.js";
import { createSessionService } from "./session-service.js";
import type { SessionServer, SessionServerOptions } from "./types.js";

export async function startSessionServer(opts: SessionServerOptions): Promise<SessionServer> {
  const service = createSessionService(opts);
  const { host, port, maxFrame, tls } = service.options;
  // An absent host must stay absent: netsrv applies its own default (loopback).
  const netOpts: NetServerOptions = {
    ...(host === undefined ? { port, maxFrame } : { host, port, maxFrame }),
    ...(tls === undefined ? {} : { tls }),
  };
  let net: NetServer;
  try {
    net = await listen(netOpts, service.hooks);
  } catch (e) {
    service.shutdown();
    throw e;
  }
  let closing: Promise<void> | null = null;
  return {
    addr: net.addr,
    sessions: service.sessions,
    disconnect: service.disconnect,
    detach: service.detach,
    close() {
      closing ??= (async () => {
        service.shutdown();
        await net.close();
      })();
      return closing;
    },
  };
}
