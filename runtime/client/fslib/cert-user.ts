/**
 * The user a client certificate names. Under mutual TLS a server takes the certificate's subject
 * CN as the session's user (runtime/net/tls.ts, peerUserOf) and refuses a Tattach naming anyone
 * else, so it is the uname a client with a certificate should claim by default.
 */
import { X509Certificate } from "node:crypto";

/** The subject CN of `cert` (PEM), or undefined when there is none or it cannot be read. */
export function certUser(cert: string | Uint8Array | undefined): string | undefined {
  if (cert === undefined) return undefined;
  try {
    const subject = new X509Certificate(typeof cert === "string" ? cert : Buffer.from(cert))
      .subject;
    const cn = /^CN=(.*)$/m.exec(subject)?.[1];
    return cn === undefined || cn === "" ? undefined : cn;
  } catch {
    // The TLS handshake refuses an unreadable certificate with its own reason.
    return undefined;
  }
}
