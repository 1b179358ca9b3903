/**
 * One suite, two stores (issue 14): `forEachStore` runs a suite once with named on memfs and once
 * with named on a private etcd, so the named, FsLib, coordination, RPC and proc tests hold on
 * both without being copied. Tests change how they obtain named (`store.startNamed()`), never
 * what they assert.
 *
 * A file starts at most one etcd (one member, short timeouts, data in a temp dir), on its first
 * etcd named, and stops it after the etcd half. Each etcd named is a replica (servers/named,
 * `startEtcdNamed`) in this process on that etcd; closing it clears its keys, so the next one
 * starts on an empty tree as a memfs named does. Only one replica of a realm can lead on one
 * etcd, so a second named while one is open gets an etcd of its own.
 *
 * Without the etcd binary the etcd half is skipped, its title naming etcd-server.
 */
import { afterAll, describe, it } from "vitest";
import { RootRealm } from "../../generated/sigmap/types.js";
import { startEtcdNamed, startNamed, type Named } from "../../servers/named/index.js";
import { freePort, startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { needingEtcd } from "./needs-tool.js";

export type StoreName = "memfs" | "etcd";

export interface StoreNamedOptions {
  /**
   * Sessions without a connection for this long are detached. Default: the store's own (memfs
   * named 1000 ms; etcd named 3 x its election lease).
   */
  sessionTimeoutMs?: number;
}

export interface Store {
  readonly name: StoreName;
  /** named (realm rootrealm, boot layout in place) on this store, serving once it resolves. */
  startNamed(opts?: StoreNamedOptions): Promise<Named>;
}

/**
 * The etcd replica's election lease. No test here fails named over, and the replica stops
 * serving once its local lease deadline passes without a renewal: a short lease would let a
 * starved test process (named shares its event loop) depose its own named mid-test.
 */
const ELECTION_LEASE_MS = 10_000;

const memfs: Store = {
  name: "memfs",
  startNamed: (opts = {}) => startNamed({ sessionTimeoutMs: opts.sessionTimeoutMs }),
};

/** This file's etcd clusters, started on demand; each holds at most one open named. */
class EtcdPool {
  readonly #free: EtcdCluster[] = [];
  readonly #all: Promise<EtcdCluster>[] = [];

  async acquire(): Promise<EtcdCluster> {
    const free = this.#free.pop();
    if (free !== undefined) return free;
    const started = startEtcd(1);
    this.#all.push(started);
    return started;
  }

  /** Empties `etcd` (every key named wrote) and makes it available again. */
  async release(etcd: EtcdCluster): Promise<void> {
    const c = etcd.client();
    try {
      await c.delete().prefix("/sigma/");
    } finally {
      c.close();
    }
    this.#free.push(etcd);
  }

  async stop(): Promise<void> {
    const all = this.#all.splice(0);
    this.#free.splice(0);
    await Promise.all(
      all.map(async (p) => {
        const etcd = await p.catch(() => undefined);
        await etcd?.stop();
      }),
    );
  }
}

const pool = new EtcdPool();

const etcd: Store = {
  name: "etcd",
  async startNamed(opts = {}) {
    const cluster = await pool.acquire();
    const port = await freePort();
    let led: () => void = () => {};
    const leading = new Promise<void>((resolve) => (led = resolve));
    const replica = startEtcdNamed({
      etcd: cluster.endpoints,
      host: "127.0.0.1",
      port,
      realm: RootRealm,
      sessionTimeoutMs: opts.sessionTimeoutMs,
      leaseMs: ELECTION_LEASE_MS,
      onRole: (role) => {
        if (role === "leading") led();
      },
    });
    await leading;
    let closed: Promise<void> | undefined;
    return {
      addr: replica.addr,
      realm: RootRealm,
      close: () =>
        (closed ??= (async () => {
          await replica.close();
          await pool.release(cluster);
        })()),
    };
  },
};

const etcdNeed = needingEtcd("etcd");

/**
 * Registers `body` twice, in a describe per store (`memfs`, `etcd`); the etcd half is skipped,
 * saying why, when etcd is missing, and stops this file's etcd after it.
 */
export function forEachStore(body: (store: Store) => void): void {
  describe("memfs", () => body(memfs));
  describe.skipIf(etcdNeed.missing)(etcdNeed.title, () => {
    // First registered, so it runs after the body's own afterAll hooks (vitest's "stack" order).
    afterAll(() => pool.stop());
    body(etcd);
  });
}

type TestBody = () => Promise<void> | void;
type TestFn = (title: string, fn: TestBody, timeout?: number) => void;

/**
 * `it` on memfs; on etcd a skipped test whose title gives `reason`, for a test that cannot hold
 * there (docs/named-etcd.md "Limits"; listed in docs/testing.md).
 */
export function memfsOnly(store: Store, reason: string): TestFn {
  return skipOnEtcd(store, `memfs only: ${reason}`);
}

/**
 * `it` on memfs; on etcd a skipped test naming the bug it exposes there (listed in
 * docs/testing.md). Skipped rather than `.fails`: a race may pass now and then.
 */
export function etcdBug(store: Store, bug: string): TestFn {
  return skipOnEtcd(store, `etcd bug: ${bug}`);
}

/**
 * The bugs the etcd half found and not yet fixed (docs/testing.md), by the tests that show them;
 * none now (the last, a refused session lease deposing the leader, is pinned down by
 * tests/named-etcd/session-churn.test.ts).
 */
export const ETCD_BUGS = {} as const satisfies Record<string, string>;

function skipOnEtcd(store: Store, why: string): TestFn {
  if (store.name === "memfs") return (title, fn, timeout) => it(title, fn, timeout);
  return (title, fn) => it.skip(`${title} [${why}]`, fn);
}
