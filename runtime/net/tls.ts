/**
 * The transport seam: where netsrv and netclnt create their sockets, plain TCP or TLS. Everything
 * above (frames, the hello, sessions) is the same over both.
 */
import { connect as tcpConnect, createServer as tcpServer, isIP } from "node:net";
import type { Server, Socket } from "node:net";
import { connect as tlsConnect, createServer as tlsServer, TLSSocket } from "node:tls";
import type { HostPort } from "./addr.js";
import type { TlsClientOptions, TlsServerOptions } from "./types.js";

export interface Listening {
  server: Server;
  /** The server's event for a connection ready for frames (TLS: after the handshake). */
  ready: "connection" | "secureConnection";
}

/** A TCP server, or a TLS one when `tls` is given; `handshakeMs` bounds a TLS handshake. */
export function createListener(tls: TlsServerOptions | undefined, handshakeMs: number): Listening {
  if (tls === undefined) return { server: tcpServer({ noDelay: true }), ready: "connection" };
  const mutual = tls.ca !== undefined && tls.requestClientCert !== false;
  const server = tlsServer({
    noDelay: true,
    cert: pem(tls.cert),
    key: pem(tls.key),
    ...(tls.ca === undefined ? {} : { ca: pem(tls.ca) }),
    requestCert: mutual,
    rejectUnauthorized: mutual,
    handshakeTimeout: handshakeMs,
    minVersion: "TLSv1.2",
  });
  return { server, ready: "secureConnection" };
}

export interface Dialing {
  socket: Socket;
  /** The socket's event once it is ready for frames (TLS: after the handshake and checks). */
  ready: "connect" | "secureConnect";
}

/** Connects over TCP, or over TLS checking the server's certificate against `target.host`. */
export function openSocket(target: HostPort, tls: TlsClientOptions | undefined): Dialing {
  if (tls === undefined) return { socket: tcpConnect(target), ready: "connect" };
  const socket = tlsConnect({
    host: target.host,
    port: target.port,
    // SNI takes names only; for an IP address Node checks the certificate's IP SANs by host.
    ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
    ...(tls.ca === undefined ? {} : { ca: pem(tls.ca) }),
    ...(tls.cert === undefined ? {} : { cert: pem(tls.cert) }),
    ...(tls.key === undefined ? {} : { key: pem(tls.key) }),
    minVersion: "TLSv1.2",
  });
  return { socket, ready: "secureConnect" };
}

/** The subject CN of a verified client certificate (mutual TLS), else undefined. */
export function peerUserOf(socket: Socket): string | undefined {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  const cn: unknown = socket.getPeerCertificate().subject?.CN;
  if (typeof cn === "string" && cn !== "") return cn;
  return undefined;
}

/** A socket error for people: TLS failures say so and carry OpenSSL's code. */
export function socketErrorText(err: Error, tls: boolean): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (!tls) return err.message;
  // OpenSSL's and Node's TLS codes help; errno codes (ECONNRESET) are in the message already.
  const tlsCode = code !== undefined && !/^E[A-Z]+$/.test(code) ? ` (${code})` : "";
  return `TLS: ${err.message}${tlsCode}`;
}

function pem(v: string | Uint8Array): string | Buffer {
  return typeof v === "string" ? v : Buffer.from(v);
}
