/**
 * What a deposed leader must not do, and that the failpoints planting each bug break exactly
 * that (runtime/failpoints.ts): a leader SIGSTOPped past its lease while the next leader
 * acknowledges a write, then continued, must neither answer a read from its stale cache
 * (`lease-late` makes it) nor get a write into etcd (`fence-off` makes it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { needingEtcd } from "../support/needs-tool.js";
import { Replicas } from "../../devtools/replicas.js";

const { title, missing } = needingEtcd("named on etcd: a deposed leader, with and without bugs");
const enc = new TextEncoder();
const dec = new TextDecoder();

interface Outcome {
  /** What the old leader answered to a read after the new leader's write, or its error. */
  read: string;
  /** Whether the file the old leader was asked to create is in etcd (read there directly). */
  oldWriteLanded: boolean;
}

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  const clients: FsLib[] = [];

  beforeAll(async () => {
    etcd = await startEtcd(3);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.exit().catch(() => undefined)));
    await etcd?.stop();
  });

  const connect = async (addr: string): Promise<FsLib> => {
    const c = await FsLib.connect({ named: [addr], localIp: "127.0.0.1", uname: "t" });
    clients.push(c);
    return c;
  };

  /** The scenario, on fresh replicas started with `failpoints`, in the realm's own files. */
  const depose = async (failpoints: string, file: string): Promise<Outcome> => {
    const named = new Replicas(etcd.endpoints, 1000, {
      ...process.env,
      SIGMA_FAILPOINTS: failpoints,
    });
    try {
      await named.start(2);
      const old = await named.leader();
      const c = await connect(old.addr);
      await c.putFile(file, 0o644, 0, enc.encode("v1"));
      named.pause(old);
      const next = await named.leader();
      const d = await connect(next.addr);
      await d.putFile(file, 0o644, 0, enc.encode("v2"));
      old.proc.kill("SIGCONT");
      const read = await c.getFile(file).then(
        (b) => dec.decode(b),
        (e: unknown) => `error: ${(e as Error).message}`,
      );
      const late = `${file}-old`;
      await c.putFile(late, 0o644, 0, enc.encode("late")).catch(() => undefined);
      // Every object's record holds its name (runtime/fs-etcd/keys.ts); etcd's revision is no
      // witness, since the new leader's session records move it too.
      const name = Buffer.from(late.slice(late.lastIndexOf("/") + 1));
      const values = await etcd.client().getAll().prefix("/sigma/rootrealm/o/").buffers();
      return { read, oldWriteLanded: Object.values(values).some((v) => v.includes(name)) };
    } finally {
      await named.stopAll();
    }
  };

  it("without failpoints: the continued old leader answers no read and writes nothing", async () => {
    const o = await depose("", "name/tmp/clean");
    expect(o.read).toMatch(/^error: /);
    expect(o.oldWriteLanded).toBe(false);
  }, 30_000);

  it("lease-late: the continued old leader answers a stale read (its write is still fenced)", async () => {
    const o = await depose("lease-late", "name/tmp/late");
    expect(o.read).toBe("v1");
    expect(o.oldWriteLanded).toBe(false);
  }, 30_000);

  it("fence-off: the continued old leader's write lands in etcd", async () => {
    const o = await depose("fence-off", "name/tmp/unfenced");
    expect(o.read).toBe("v1");
    expect(o.oldWriteLanded).toBe(true);
  }, 30_000);
});
