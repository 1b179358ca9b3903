/** The private etcd helper: one member and a three-member cluster start, answer, and go. */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startEtcd } from "../../devtools/etcd.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("private etcd");

describe.skipIf(missing)(title, () => {
  it("one member stores a key; stop removes its data", async () => {
    const etcd = await startEtcd(1);
    const c = etcd.client();
    await c.put("k").value("v");
    expect(await c.get("k").string()).toBe("v");
    expect(existsSync(etcd.dataDir)).toBe(true);
    await etcd.stop();
    expect(etcd.members[0]!.running).toBe(false);
    expect(existsSync(etcd.dataDir)).toBe(false);
  });

  it("three members: writes go on with one member killed", async () => {
    const etcd = await startEtcd(3);
    try {
      const c = etcd.client();
      await c.put("a").value("1");
      await etcd.members[0]!.kill();
      await c.put("b").value("2");
      expect(await c.get("a").string()).toBe("1");
      expect(await c.get("b").string()).toBe("2");
    } finally {
      await etcd.stop();
    }
    expect(existsSync(etcd.dataDir)).toBe(false);
  });
});
