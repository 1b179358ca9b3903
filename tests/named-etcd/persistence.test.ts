/**
 * What etcd keeps when named goes: a tree of 1,000 files survives every named replica being
 * stopped and started again, with the same contents and versions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { needingEtcd, startEtcd, type EtcdCluster } from "../support/etcd.js";
import { Replicas } from "./replicas.js";

const { title, missing } = needingEtcd("named on etcd: persistence");
const enc = new TextEncoder();
const dec = new TextDecoder();

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  let named: Replicas;
  const clients: FsLib[] = [];
  const connect = async (): Promise<FsLib> => {
    const c = await FsLib.connect({ named: named.addrs, localIp: "127.0.0.1", uname: "t" });
    clients.push(c);
    return c;
  };
  const restartAll = async (): Promise<void> => {
    for (let i = 0; i < named.all.length; i++) await named.restart(i);
  };

  beforeAll(async () => {
    etcd = await startEtcd(1);
    named = new Replicas(etcd.endpoints, 1000);
    await named.start(2);
  }, 60_000);

  afterAll(async () => {
    await named?.stopAll();
    await Promise.all(clients.map((c) => c.exit().catch(() => undefined)));
    await etcd?.stop();
  });

  it("1,000 files in a tree: same contents and versions after every named restarted", async () => {
    await named.leader();
    const c = await connect();
    const paths: string[] = [];
    for (let d = 0; d < 10; d++) {
      await c.mkDir(`name/tmp/d${d}`);
      for (let f = 0; f < 100; f++) paths.push(`name/tmp/d${d}/f${f}`);
    }
    // 16 writers at a time; every fourth file written twice so versions differ.
    for (let i = 0; i < paths.length; i += 16) {
      await Promise.all(
        paths.slice(i, i + 16).map(async (p, j) => {
          await c.putFile(p, 0o644, 0, enc.encode(`content of ${p}`));
          if ((i + j) % 4 === 0) await c.putFile(p, 0o644, 0, enc.encode(`again ${p}`));
        }),
      );
    }
    const before = new Map<string, { data: string; version: number }>();
    for (const p of [...paths, ...Array.from({ length: 10 }, (_, d) => `name/tmp/d${d}`)]) {
      const st = await c.stat(p);
      before.set(p, {
        data: st.qid.type === 0x80 ? "" : dec.decode(await c.getFile(p)),
        version: st.qid.version,
      });
    }
    await named.stopAll();
    await restartAll();
    await named.leader();
    const after = await connect();
    for (const [p, want] of before) {
      const st = await after.stat(p);
      expect({ p, version: st.qid.version }).toEqual({ p, version: want.version });
      if (st.qid.type !== 0x80) expect(dec.decode(await after.getFile(p))).toBe(want.data);
    }
    expect(before.get("name/tmp/d0/f0")?.version).toBe(2);
    expect(before.get("name/tmp/d0/f1")?.version).toBe(1);
  }, 120_000);
});
