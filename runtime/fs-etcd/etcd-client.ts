/**
 * The etcd client the store writes through. etcd3's default global policy retries a call that
 * failed with a "recoverable" error up to 3 times: for a transaction that timed out after it had
 * committed, that applies the mutation twice. The store's client therefore never retries; the
 * store treats an unknown outcome as the end of its leadership (committer.ts).
 */
import { noop } from "cockatiel";
import { Etcd3 } from "etcd3";

/** A client on `endpoints` (`host:port`), without retries. */
export function etcdClient(endpoints: readonly string[]): Etcd3 {
  return new Etcd3({
    hosts: endpoints.map((e) => (e.includes("://") ? e : `http://${e}`)),
    dialTimeout: 2000,
    faultHandling: { global: noop },
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
