/**
 * What etcd keeps when named goes: a tree of 1,000 files survives every named replica being
 * stopped and started again, with the same contents and versions.
 */
import { describe, expect, it } from "vitest";
import { needingEtcd } from "../support/needs-tool.js";
import { etcdWorld } from "./etcd-world.js";

const { title, missing } = needingEtcd("named on etcd: persistence");
const enc = new TextEncoder();
const dec = new TextDecoder();

describe.skipIf(missing)(title, () => {
  const w = etcdWorld({ members: 1, replicas: 2 });

  it("1,000 files in a tree: same contents and versions after every named restarted", async () => {
    await w.named.leader();
    const c = await w.connect();
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
    await w.named.stopAll();
    await w.restartAll();
    await w.named.leader();
    const after = await w.connect();
    for (const [p, want] of before) {
      const st = await after.stat(p);
      expect({ p, version: st.qid.version }).toEqual({ p, version: want.version });
      if (st.qid.type !== 0x80) expect(dec.decode(await after.getFile(p))).toBe(want.data);
    }
    expect(before.get("name/tmp/d0/f0")?.version).toBe(2);
    expect(before.get("name/tmp/d0/f1")?.version).toBe(1);
  }, 120_000);
});
