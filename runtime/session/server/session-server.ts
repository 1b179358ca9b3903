/**
 * sesssrv: the server side of the session layer (spec 3) on top of netsrv.
 */
import { listen } from "../../net/netsrv.js";
import type { NetServer, NetServerOptions } from "../../net/types.js";
import { createSessionService } from "./session-service.js";
import type {
  SessionServer,
  SessionServerOptions,
  SessionTransportOptions,
} from "./server-types.js";

export async function startSessionServer(
  opts: SessionServerOptions & SessionTransportOptions,
): Promise<SessionServer> {
  const service = createSessionService(opts);
  const { host, port, maxFrame, maxConnectionsPerPeer, frameTimeoutMs, idleTimeoutMs } =
    service.options;
  const { maxPartialFrameBytes } = service.options;
  const limits = {
    port,
    maxFrame,
    maxConnectionsPerPeer,
    frameTimeoutMs,
    idleTimeoutMs,
    maxPartialFrameBytes,
  };
  // An absent host must stay absent: netsrv applies its own default (loopback).
  const netOpts: NetServerOptions = host === undefined ? limits : { host, ...limits };
  if (opts.tls !== undefined) netOpts.tls = opts.tls;
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
    stats() {
      const partial = net.partialFrames();
      return {
        ...service.stats(),
        partialFrameBytes: partial.bytes,
        partialFrameEvictions: partial.evictions,
      };
    },
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
