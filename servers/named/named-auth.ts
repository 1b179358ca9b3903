/**
 * What named's sessions are secured by, the same for memfs and etcd named (docs/security.md):
 * tokens (`authKeys`), or client certificates under mutual TLS (each CN is a principal; with no
 * keys held, every token is refused as unknown-key). Secured, named's own directories belong to
 * the server (owner "", which no token can name) and are sticky: anyone may create in them, only
 * an entry's owner or an admin may remove or replace it.
 */
import { Perm } from "../../generated/sigmap/types.js";
import { KeyRing } from "../../runtime/auth/index.js";
import type { SessionAuth } from "../../runtime/session/shared/hello-auth.js";
import type { TlsServerOptions } from "../../runtime/session/index.js";

export interface NamedAuthOptions {
  realm: string;
  tls?: TlsServerOptions | undefined;
  authKeys?: KeyRing | undefined;
  authSkewMs?: number | undefined;
  onRefused?: ((line: string) => void) | undefined;
}

/** rwx for everyone, sticky: named's boot directories (and root) when secured. */
export const SHARED_DIR = 0o777 | Perm.DMSETVTX;

/** The session server's `auth`, or undefined for an open named. */
export function namedSessionAuth(o: NamedAuthOptions): SessionAuth | undefined {
  if (o.authKeys === undefined && !mutualTls(o.tls)) return undefined;
  return {
    keys: o.authKeys ?? new KeyRing([]),
    realm: o.realm,
    ...(o.authSkewMs === undefined ? {} : { skewMs: o.authSkewMs }),
    ...(o.onRefused === undefined ? {} : { onRefused: o.onRefused }),
  };
}

/** Whether clients must present a certificate (their CN is then their user). */
function mutualTls(tls: TlsServerOptions | undefined): boolean {
  return tls?.ca !== undefined && tls.requestClientCert !== false;
}
