/**
 * Leader election on one etcd key, without etcd3's Election (it exposes no fencing revision and
 * hands out lease ids as decimals to be parsed). A replica campaigns by creating the key under a
 * fresh lease in a transaction that requires the key absent; the create revision of the key is
 * its fence, compared by every transaction it sends (committer.ts), so once its lease ends and
 * the key goes (or is recreated by the next leader) nothing it sends can commit.
 *
 * It keeps the lease alive itself and keeps a local deadline: a keepalive sent at t extends the
 * lease to at least t + TTL on etcd's side, so until t + TTL - margin this replica is certainly
 * still the leader and may serve reads from its cache (as Raft leader leases do). etcd3's lease
 * `lost` event comes only after 2 x TTL; this deadline is what the store obeys.
 */
import type { Etcd3, Lease } from "etcd3";
import { FAILPOINTS } from "../failpoints.js";
import { logger } from "../log.js";
import { absent, put } from "./committer.js";

const log = logger("fsetcd");

export interface ElectionOptions {
  client: Etcd3;
  key: Buffer;
  /** What the key holds while this replica leads (its address). */
  value: string;
  /** Lease TTL, whole seconds (etcd's minimum follows its election timeout). */
  ttlSec: number;
  /** How often a follower looks for a vacant key. Default 100 ms. */
  pollMs?: number;
  signal?: AbortSignal;
  /** Told at each look what the key holds (the leader's address), undefined when vacant. */
  onHolder?(value: string | undefined): void;
}

export interface Leadership {
  /** The election key's create revision. */
  readonly fenceRev: string;
  /** performance.now() until which this replica certainly leads. */
  deadline(): number;
  /** Resolves with why, once leadership is (or may be) gone. */
  readonly lost: Promise<string>;
  /** Gives the key up now (a clean shutdown). */
  resign(): Promise<void>;
}

/** Resolves once this replica leads; rejects if `signal` aborts first. */
export async function campaign(o: ElectionOptions): Promise<Leadership> {
  const pollMs = o.pollMs ?? 100;
  for (;;) {
    o.signal?.throwIfAborted();
    const held = await o.client.kv.range({ key: o.key });
    o.onHolder?.(held.kvs[0]?.value.toString());
    if (held.kvs.length === 0) {
      const lease = o.client.lease(o.ttlSec, { autoKeepAlive: false });
      const granted = performance.now();
      const id = await lease.grant();
      const res = await o.client.kv.txn({
        compare: [absent(o.key)],
        success: [put(o.key, Buffer.from(o.value), id)],
        failure: [],
      });
      if (res.succeeded) {
        log("leading at fence revision %s", res.header.revision);
        return lead(o, lease, res.header.revision, granted);
      }
      await lease.revoke().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function lead(o: ElectionOptions, lease: Lease, fenceRev: string, granted: number): Leadership {
  const ttlMs = o.ttlSec * 1000;
  // Room for the two clocks' rates to differ and for this process to be slow to notice.
  const margin = Math.max(100, ttlMs / 4);
  let deadline = granted + ttlMs - margin;
  let over: (why: string) => void = () => {};
  const lost = new Promise<string>((resolve) => (over = resolve));
  let ended = false;
  // Failpoints fence-off and lease-late: the planted bug is a leader blind to its lease's end.
  const blind = FAILPOINTS["fence-off"] || FAILPOINTS["lease-late"];
  const end = (why: string): void => {
    if (ended) return;
    if (blind && why !== "resigned") return;
    ended = true;
    clearInterval(beat);
    clearTimeout(watchdog);
    lease.release();
    log("leadership over: %s", why);
    over(why);
  };
  let watchdog = setTimeout(() => end("local lease deadline passed"), deadline - performance.now());
  const beat = setInterval(() => {
    const sent = performance.now();
    if (sent > deadline) return end("local lease deadline passed");
    lease.keepaliveOnce().then(
      (res) => {
        if (ended) return;
        if (Number(res.TTL) <= 0) return end("election lease expired");
        deadline = sent + ttlMs - margin;
        clearTimeout(watchdog);
        watchdog = setTimeout(
          () => end("local lease deadline passed"),
          deadline - performance.now(),
        );
      },
      (e: unknown) => log("election keepalive failed: %s", String(e)),
    );
  }, ttlMs / 4);
  return {
    fenceRev,
    deadline: () => (ended ? 0 : blind ? Infinity : deadline),
    lost,
    async resign() {
      if (ended) return;
      await lease.revoke().catch(() => undefined);
      end("resigned");
    },
  };
}
