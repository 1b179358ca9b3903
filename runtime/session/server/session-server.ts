/**
 * sesssrv: the server side of the session layer (spec 3) on top of netsrv.
 */
import { checkExposure } from "../../net/exposure.js";
import { listen } from "../../net/netsrv.js";
import { logger } from "../../log.js";
import type { NetServer, NetServerOptions } from "../../net/types.js";
import { createSessionService } from "./session-service.js";
import type {
  SessionServer,
  SessionServerOptions,
  SessionTransportOptions,
} from "./server-types.js";

const log = logger("sesssrv");

export async function startSessionServer(
  opts: SessionServerOptions & SessionTransportOptions,
): Promise<SessionServer> {
  // Before anything exists: a server that may not serve this address creates nothing.
  const warning = checkExposure({
    what: opts.name ?? "server",
    host: opts.host,
    secured: opts.auth !== undefined,
    tls: opts.tls !== undefined,
    insecure: opts.insecure === true,
  });
  if (warning !== null) log("%s", warning);
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
