/**
 * The etcd client the store writes through. etcd3's default global policy retries a call that
 * failed with a "recoverable" error up to 3 times: for a transaction that timed out after it had
 * committed, that applies the mutation twice. The store's client therefore never retries; the
 * store treats an unknown outcome as the end of its leadership (committer.ts).
 */
import { noop } from "cockatiel";
import { Etcd3 } from "etcd3";

/**
 * How named reaches etcd beyond the endpoints (docs/named-etcd.md, "Running it with etcd auth").
 * Default: no user (etcd auth off) and plain gRPC.
 */
export interface EtcdConnection {
  /** named's own etcd user; etcd3 exchanges it for a token and renews that token itself. */
  auth?: { username: string; password: string };
  /**
   * gRPC over TLS: the CA etcd's server certificate is checked against and, for etcd's
   * `--client-cert-auth`, a client certificate (whose CN etcd takes as the user) and its key.
   */
  tls?: { ca: Buffer; cert?: Buffer; key?: Buffer };
}

/** A client on `endpoints` (`host:port`), without retries. */
export function etcdClient(endpoints: readonly string[], conn: EtcdConnection = {}): Etcd3 {
  const scheme = conn.tls === undefined ? "http" : "https";
  return new Etcd3({
    hosts: endpoints.map((e) => (e.includes("://") ? e : `${scheme}://${e}`)),
    dialTimeout: 2000,
    faultHandling: { global: noop },
    ...(conn.auth === undefined ? {} : { auth: { ...conn.auth } }),
    ...(conn.tls === undefined
      ? {}
      : {
          credentials: {
            rootCertificate: conn.tls.ca,
            ...(conn.tls.cert === undefined ? {} : { certChain: conn.tls.cert }),
            ...(conn.tls.key === undefined ? {} : { privateKey: conn.tls.key }),
          },
        }),
  });
}

/** Parses `--etcd host:port[,host:port...]`. */
export function parseEndpoints(list: string): string[] {
  const eps = list
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const e of eps) {
    if (!/^[^:\s]+:\d+$/.test(e.replace(/^https?:\/\//, ""))) {
      throw new Error(`bad etcd endpoint "${e}": expected host:port`);
    }
  }
  if (eps.length === 0)
    throw new Error("no etcd endpoint given: expected host:port[,host:port...]");
  return eps;
}
