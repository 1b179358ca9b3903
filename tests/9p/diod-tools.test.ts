/**
 * diod's own clients against the gateway: diodls, diodcat, dioddate and diodload, all of which
 * speak 9P2000.L through diod's libnpclient, a client this project did not write.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mode } from "../../generated/sigmap/types.js";
import { O } from "../../servers/9p/tree.js";
import { bytes, client, runTool, startWorld, text, type World } from "./fixture.js";

let w: World;
beforeAll(async () => {
  w = await startWorld();
  await w.fsl.mkDir("name/tmp/dir");
  await w.fsl.putFile("name/tmp/dir/file", 0o777, Mode.OWRITE, bytes("hello through 9p\n"));
  await w.fsl.putFile("name/tmp/dir/big", 0o777, Mode.OWRITE, new Uint8Array(100_000).fill(65));
  await w.fsl.mkDir("name/tmp/dir/sub");
});
afterAll(() => w?.close());

describe("diod's tools against the gateway", () => {
  it("diodls -l lists a directory made through FsLib with its names and sizes", async () => {
    const r = await runTool("diodls", ["-s", w.gw.addr, "-a", "name", "-l", "tmp/dir"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => l.trim().split(/\s+/));
    // mode nlink user group size month day time name
    const byName = new Map(rows.map((f) => [f[f.length - 1], f]));
    expect([...byName.keys()].sort()).toEqual(["big", "file", "sub"]);
    expect(byName.get("file")?.[4]).toBe("17");
    expect(byName.get("big")?.[4]).toBe("100000");
    expect(byName.get("sub")?.[0]?.startsWith("d")).toBe(true);
    expect(byName.get("file")?.[0]?.startsWith("-")).toBe(true);
  });

  it("diodls of a subtree aname lists that subtree", async () => {
    const r = await runTool("diodls", ["-s", w.gw.addr, "-a", "name/tmp/dir"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n").sort()).toEqual(["big", "file", "sub"]);
  });

  it("diodcat prints a file's content written through FsLib", async () => {
    const r = await runTool("diodcat", ["-s", w.gw.addr, "-a", "name", "tmp/dir/file"]);
    expect(r).toEqual({ code: 0, stdout: "hello through 9p\n", stderr: "" });
    const big = await runTool("diodcat", ["-s", w.gw.addr, "-a", "name/tmp/dir", "big"]);
    expect(big.code).toBe(0);
    expect(big.stdout).toBe("A".repeat(100_000));
  });

  it("diodcat of a missing file fails with ENOENT's message", async () => {
    const r = await runTool("diodcat", ["-s", w.gw.addr, "-a", "name", "tmp/dir/nope"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("No such file or directory");
  });

  it("a file written through the gateway by the project's 9P client is read back by FsLib", async () => {
    const c = await client(w.gw);
    await c.attach(1, "name/tmp/dir");
    await c.walk(1, 2, []);
    await c.rpc({ type: "Tlcreate", fid: 2, name: "via9p", flags: O.RDWR, mode: 0o644, gid: 0 });
    expect(await c.write(2, 0n, bytes("written over 9P"))).toBe(15);
    await c.clunk(2);
    await c.close();
    expect(text(await w.fsl.getFile("name/tmp/dir/via9p"))).toBe("written over 9P");
    const cat = await runTool("diodcat", ["-s", w.gw.addr, "-a", "name", "tmp/dir/via9p"]);
    expect(cat.stdout).toBe("written over 9P");
  });

  it("dioddate reads ctl's date and prints the gateway's time", async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await runTool("dioddate", ["-s", w.gw.addr]);
    const after = Math.ceil(Date.now() / 1000);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // ctime(3) in local time, e.g. "Thu Dec  3 18:34:37 2026": the gateway's clock while the
    // command ran, so between the two readings of this process's (same machine's) clock.
    const printed = Date.parse(r.stdout.trim().replace(/ +/g, " ")) / 1000;
    expect(printed).toBeGreaterThanOrEqual(before);
    expect(printed).toBeLessThanOrEqual(after);
  });

  it("diodls lists the ctl tree", async () => {
    const r = await runTool("diodls", ["-s", w.gw.addr, "-a", "ctl"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n").sort()).toEqual(["date", "null", "zero"]);
  });

  it("diodload's getattr and read/write loads run without errors", async () => {
    const g = await runTool("diodload", ["-s", w.gw.addr, "-g", "-n", "4", "-r", "1"]);
    expect(g.code).toBe(0);
    const gm = /^diodload: (\d+) ops\/s, 0 rMB\/s, 0 wMB\/s$/m.exec(g.stderr);
    expect(g.stderr.trim().split("\n")).toHaveLength(1);
    expect(Number(gm?.[1])).toBeGreaterThan(0);
    const rw = await runTool("diodload", ["-s", w.gw.addr, "-n", "4", "-r", "1"]);
    expect(rw.code).toBe(0);
    expect(rw.stderr.trim().split("\n")).toHaveLength(1);
    const m = /^diodload: (\d+) ops\/s, (\d+) rMB\/s, (\d+) wMB\/s$/m.exec(rw.stderr);
    expect(Number(m?.[1])).toBeGreaterThan(0);
    // Every op reads one msize of ctl's zero and writes it to null: as many bytes each way.
    expect(m?.[2]).toBe(m?.[3]);
    expect(w.closures).toEqual([]);
  });
});
