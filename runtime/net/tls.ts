/**
 * TLS at the two socket-creation points (docs/security.md, "TLS"): netsrv listens with
 * node:tls when given a certificate, netclnt dials with node:tls when given a CA. Everything
 * above the socket (frames, hellos, sessions) is unchanged: a TLSSocket is a Socket.
 */
import {
  createServer as createNetServer,
  connect as netConnect,
  isIP,
  type Server,
  type Socket,
} from "node:net";
import { connect as tlsConnect, createServer as createTlsServer } from "node:tls";

/** A server's certificate chain and private key, PEM. */
export interface TlsServerConfig {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

/** The CA certificates (PEM) a client trusts for its servers; nothing else is trusted. */
export interface TlsClientConfig {
  readonly ca: string | Buffer;
}

/** The listening server, and the event that hands over a connection ready for frames. */
export function createListener(tls: TlsServerConfig | undefined): {
  server: Server;
  event: "connection" | "secureConnection";
} {
  if (tls === undefined) return { server: createNetServer({ noDelay: true }), event: "connection" };
  const server = createTlsServer({
    cert: tls.cert,
    key: tls.key,
    noDelay: true,
    minVersion: "TLSv1.2",
  });
  return { server, event: "secureConnection" };
}

/** A dialed socket, and the event after which it may carry frames. */
export function dialSocket(
  host: string,
  port: number,
  tls: TlsClientConfig | undefined,
): { socket: Socket; event: "connect" | "secureConnect" } {
  if (tls === undefined) return { socket: netConnect({ host, port }), event: "connect" };
  // SNI takes names only; an IP address is checked against the certificate's IP SANs.
  const servername = isIP(host) === 0 ? { servername: host } : {};
  const socket = tlsConnect({ host, port, ca: tls.ca, minVersion: "TLSv1.2", ...servername });
  return { socket, event: "secureConnect" };
}
