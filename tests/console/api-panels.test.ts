/**
 * The panels' census against a real named with company: a memfsd, an RPC server, a fenced
 * election, and a procd running a proc. Everything is found from named's files and the files each
 * server offers, as a person would find it with `sigma ls` and `sigma cat`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoService } from "../../generated/services/echo/rpc-server.js";
import { EchoClient } from "../../generated/services/echo/rpc-client.js";
import { Mode } from "../../generated/sigmap/types.js";
import { LeaderClnt } from "../../runtime/coord/index.js";
import { makeProc, SigmaClnt } from "../../runtime/proc/index.js";
import { RpcClient, startRpcServer, type RpcServer } from "../../runtime/rpc/index.js";
import type { ClusterJson } from "../../servers/console/index.js";
import { Echo } from "../../servers/echo/index.js";
import { startMemfsd, type Memfsd } from "../../servers/memfsd/index.js";
import { startProcd, type Procd } from "../../servers/procd/index.js";
import { PROCS_DIR, procProgram, testProcUser } from "../proc/cluster.js";
import { bytes, startWorld, type ConsoleWorld } from "./world.js";

let w: ConsoleWorld;
let memfsd: Memfsd;
let echo: RpcServer;
let rpc: RpcClient;
let procd: Procd;
let parent: SigmaClnt;
const kernel = `console-${process.pid}`;
const pid = `console-sleeper-${process.pid}`;

beforeAll(async () => {
  w = await startWorld();
  await w.fsl.mkDir("name/memfsd");
  memfsd = await startMemfsd({ named: w.named.addr, pn: "name/memfsd/m1" });
  echo = await startRpcServer({ service: echoService(new Echo()), path: "name/echo", fsl: w.fsl });
  rpc = await RpcClient.connect(w.fsl, "name/echo");
  await new EchoClient(rpc).echo({ text: "hi", payload: new Uint8Array() });
  await w.fsl.mkDir("name/tmp/kv");
  await new LeaderClnt(w.fsl, "name/tmp/kv-leader").acquireFencedEpoch(bytes("10.0.0.9:4000"), [
    "name/tmp/kv",
  ]);
  // A fenced request makes named learn the fence.
  await w.fsl.putFile("name/tmp/kv/data", 0o777, Mode.OWRITE, bytes("v"));
  procd = await startProcd({
    named: w.named.addr,
    kernel,
    warmPool: 0,
    binDir: PROCS_DIR,
    procUser: testProcUser(),
  });
  parent = await SigmaClnt.connect({ named: w.named.addr, uname: "parent" });
  await parent.procClnt.spawn(makeProc(procProgram("sleeper.ts"), [], { pid }));
  await parent.procClnt.waitStart(pid);
});
afterAll(async () => {
  if (parent !== undefined) {
    await parent.procClnt.evict(pid).catch(() => undefined);
    await parent.procClnt.waitExit(pid).catch(() => undefined);
    await parent.close();
  }
  await procd?.close();
  await rpc?.close();
  await echo?.close();
  await memfsd?.close();
  await w?.close();
});

describe("the panels' census", () => {
  let c: ClusterJson;
  beforeAll(async () => {
    const r = await w.api.get<ClusterJson>("/api/cluster");
    expect(r.status).toBe(200);
    c = r.body;
  });

  it("finds named, the memfsd, the RPC server with its sessions and calls, and procd", () => {
    const byPath = new Map(c.servers.map((s) => [s.path, s]));
    expect(byPath.get("name")).toEqual({
      path: "name",
      kind: "named",
      addrs: [w.named.addr],
      root: "",
    });
    expect(byPath.get("name/memfsd/m1")).toMatchObject({ kind: "memfsd", addrs: [memfsd.addr] });
    const e = byPath.get("name/echo");
    expect(e).toMatchObject({ kind: "rpc", addrs: [echo.addr] });
    expect(e?.rpc?.methods["Echo.Echo"]?.N).toBe(1);
    expect(e?.sessions).toHaveLength(1);
    expect(byPath.get(`name/schedd/${kernel}/rpc`)).toMatchObject({
      kind: "procd",
      addrs: [procd.addr],
    });
    expect(c.errors).toEqual([]);
  });

  it("finds the election with its epoch and holder, and named's fence of it", () => {
    expect(c.leaders).toHaveLength(1);
    const l = c.leaders[0];
    expect(l).toMatchObject({
      path: "name/tmp/kv-leader",
      held: true,
      owner: "tester",
      ephemeral: true,
      data: "10.0.0.9:4000",
      epochFile: "name/tmp/kv-leader-epoch",
      epoch: "1",
    });
    expect(c.fences).toEqual([
      expect.objectContaining({
        server: "name",
        fenceId: l?.fenceId,
        leader: "name/tmp/kv-leader",
      }),
    ]);
  });

  it("lists ephemeral objects with their owners", () => {
    const eph = new Map(c.ephemeral.map((e) => [e.path, e.owner]));
    expect(eph.get("name/tmp/kv-leader")).toBe("tester");
    expect(eph.get("name/memfsd/m1")).toBeDefined();
    expect(eph.get("name/echo")).toBe("tester");
  });

  it("shows the procd with its running proc", () => {
    const p = c.procds.find((x) => x.kernel === kernel);
    expect(p).toMatchObject({ addr: procd.addr, queued: [], running: [pid] });
    expect(p?.error).toBeUndefined();
    expect(p?.procs.map((x) => [x.pid, x.state])).toEqual([[pid, "running"]]);
    expect(p?.procs[0]?.program).toBe(procProgram("sleeper.ts"));
  });

  it("describes the store and the scan", () => {
    expect(c.store).toMatchObject({ kind: "memfs", replicas: null });
    expect(c.scan.truncated).toBe(false);
    expect(c.scan.dirs).toBeGreaterThan(10);
  });
});
