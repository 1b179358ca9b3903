/**
 * What a named replica that does not lead answers on its address: every hello is refused with
 * Unreachable saying that this replica is not the leader and, when it knows, which replica is.
 * Unreachable is the code a client's dial already treats as "try the next address" (spec 3.2,
 * 3.8: a resume refused so keeps its session, unlike SessClosed), so a client that lists every
 * replica moves on at once instead of waiting out a connect timeout; and a person running the
 * CLI against a follower reads why in the error line.
 */
import { ErrCode } from "../../generated/sigmap/types.js";
import { describeErrorCode, SigmaError } from "../../runtime/errors/index.js";
import { listen } from "../../runtime/net/index.js";
import type { NetServer, TlsServerOptions } from "../../runtime/net/types.js";

export interface NotLeaderOptions {
  host: string;
  port: number;
  /** This replica's address, as clients list it. */
  self: string;
  /** The replica's own TLS settings: a TLS client must read the refusal too. */
  tls?: TlsServerOptions;
  /** The leader's address as last read from the election key, if any. */
  leader(): string | undefined;
}

export function listenNotLeader(o: NotLeaderOptions): Promise<NetServer> {
  return listen(
    { host: o.host, port: o.port, ...(o.tls === undefined ? {} : { tls: o.tls }) },
    {
      onHello: () => notLeader(o.self, o.leader()),
      onMessage: () => {},
      onClose: () => {},
    },
  );
}

/** The refusal: obj is this replica's address, as for any dial that failed there. */
export function notLeader(self: string, leader: string | undefined): SigmaError {
  const why =
    leader === self
      ? "is not serving yet: it was just elected and is loading the tree"
      : leader === undefined
        ? "is not the leader; no replica leads now"
        : `is not the leader; the leader is ${leader}`;
  return new SigmaError(
    ErrCode.Unreachable,
    self,
    `${describeErrorCode(ErrCode.Unreachable)}: ${self}: this named replica ${why}`,
  );
}
