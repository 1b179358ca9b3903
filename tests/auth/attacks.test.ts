/**
 * The attack table of docs/security.md, each row against a real named with keys: what issue 15
 * did as "mallory" with a made-up uname, now refused, and what must hold afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoService } from "../../generated/services/echo/rpc-server.js";
import { EchoClient } from "../../generated/services/echo/rpc-client.js";
import { ErrCode, Mode, type Tfence } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { EpochClnt, LeaderClnt } from "../../runtime/coord/index.js";
import { RpcClient, startRpcServer, type RpcServer } from "../../runtime/rpc/index.js";
import { isSigmaError } from "../../runtime/errors/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { expectLeaderFences, expectSquatStale } from "./fence-squat.js";
import { ring } from "./helpers.js";
import { codeOf, REALM, startAuthNamed, type AuthServer } from "./servers.js";
import { TestEcho } from "../rpc/fixture.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

let srv: AuthServer<Named>;
let alice: FsLib;
let mallory: FsLib;
let ops: FsLib;

beforeAll(async () => {
  srv = await startAuthNamed();
  alice = await srv.connect("alice");
  mallory = await srv.connect("mallory");
  ops = await srv.connect("ops", "admin");
});
afterAll(async () => {
  for (const f of [alice, mallory, ops]) await f?.exit();
  await srv?.close();
});

describe("claim any uname", () => {
  it("without a token: Unauthorized, nothing done", async () => {
    await alice.putFile("name/tmp/walkthrough.txt", 0o644, Mode.OWRITE, enc("alice's"));
    const { FsLib: Lib } = await import("../../runtime/client/fslib/fslib.js");
    expect(
      await codeOf(Lib.connect({ named: srv.addr, localIp: "127.0.0.1", uname: "alice" })),
    ).toBe(ErrCode.Unauthorized);
    expect(dec(await alice.getFile("name/tmp/walkthrough.txt"))).toBe("alice's");
  });

  it("with its own token and uname root: Unauthorized", async () => {
    const { FsLib: Lib } = await import("../../runtime/client/fslib/fslib.js");
    const token = srv.token("mallory");
    expect(
      await codeOf(Lib.connect({ named: srv.addr, localIp: "127.0.0.1", token, uname: "root" })),
    ).toBe(ErrCode.Unauthorized);
  });

  it("as itself: removing or overwriting alice's file is Perm, and it is unchanged", async () => {
    expect(await codeOf(mallory.remove("name/tmp/walkthrough.txt"))).toBe(ErrCode.Perm);
    expect(
      await codeOf(mallory.putFile("name/tmp/walkthrough.txt", 0o644, Mode.OWRITE, enc("x"))),
    ).toBe(ErrCode.Perm);
    expect(await codeOf(mallory.rmDir("name/ws"))).toBe(ErrCode.Perm);
    expect(dec(await alice.getFile("name/tmp/walkthrough.txt"))).toBe("alice's");
    expect(await ops.isDir("name/ws/runq-lc")).toBe(true);
  });
});

describe("a leader's files and fences", () => {
  let leader: LeaderClnt;
  let fenceName: string;
  let fence: Tfence;

  beforeAll(async () => {
    await alice.mkDir("name/tmp/svc-data", 0o755);
    leader = new LeaderClnt(alice, "name/tmp/svc-leader");
    const epoch = await leader.acquireFencedEpoch(enc("alice leads"), ["name/ux"]);
    expect(epoch).toBe(1n);
    await alice.putFile("name/ux/state", 0o644, Mode.OWRITE, enc("epoch 1"));
    const names = (await ops.getDir("name/.fences")).map((s) => s.name);
    expect(names).toHaveLength(1);
    fenceName = names[0]!;
    fence = { fenceid: { path: BigInt(`0x${fenceName}`), serverid: 0n }, epoch: 2n ** 64n - 1n };
  });

  it("removing or overwriting the leader file is Perm; the leader still leads", async () => {
    expect(await codeOf(mallory.remove("name/tmp/svc-leader"))).toBe(ErrCode.Perm);
    expect(
      await codeOf(mallory.putFile("name/tmp/svc-leader", 0o644, Mode.OWRITE, enc("mallory"))),
    ).toBe(ErrCode.Perm);
    expect(dec(await ops.getFile("name/tmp/svc-leader"))).toBe("alice leads");
  });

  it("advancing the epoch file is Perm", async () => {
    expect(
      await codeOf(mallory.putFile("name/tmp/svc-leader-epoch", 0o644, Mode.OWRITE, enc("ff"))),
    ).toBe(ErrCode.Perm);
    expect(dec(await ops.getFile("name/tmp/svc-leader-epoch"))).toBe("1");
  });

  it("a request carrying the leader's fence at epoch 2^64-1 is Stale; the leader's writes go on", async () => {
    mallory.fenceDir("name/tmp", fence);
    expect(await codeOf(mallory.putFile("name/tmp/m", 0o644, Mode.OWRITE, enc("x")))).toBe(
      ErrCode.Stale,
    );
    await alice.putFile("name/ux/state", 0o644, Mode.OWRITE | Mode.OTRUNC, enc("still epoch 1"));
    expect(dec(await ops.getFile("name/ux/state"))).toBe("still epoch 1");
  });

  it("removing the leader's .fences entry is Perm, and the entry stays", async () => {
    expect(await codeOf(mallory.remove(`name/.fences/${fenceName}`))).toBe(ErrCode.Perm);
    expect((await ops.getDir("name/.fences")).map((s) => s.name)).toEqual([fenceName]);
  });
});

describe("a leader's fence id presented before the leader used it (squatting)", () => {
  it("is Stale and creates nothing; the leader then fences, writes and raises its epoch", async () => {
    const epochs = new EpochClnt(alice, "name/tmp/squat-leader");
    expect(await epochs.advanceEpoch()).toBe(1n);
    const squatter = await srv.connect("mallory");
    const leader = await srv.connect("alice");
    try {
      await expectSquatStale(squatter, ops, epochs, "name/tmp");
      expect(await expectLeaderFences(leader, ops, epochs, "name/ux", "squat-state")).toBe(2n);
    } finally {
      await squatter.exit();
      await leader.exit();
    }
  });

  it("an epoch the file does not hold yet is Stale even for the leader", async () => {
    const epochs = new EpochClnt(alice, "name/tmp/ahead-leader");
    const fence = { ...(await epochs.getFence(await epochs.advanceEpoch())), epoch: 5n };
    const ahead = await srv.connect("alice");
    try {
      ahead.fenceDir("name/ux", fence);
      expect(await codeOf(ahead.putFile("name/ux/ahead", 0o644, Mode.OWRITE, enc("x")))).toBe(
        ErrCode.Stale,
      );
      expect(await codeOf(ops.stat("name/ux/ahead"))).toBe(ErrCode.Notfound);
    } finally {
      await ahead.exit();
    }
  });
});

describe("realms", () => {
  it("a token of rootrealm at realm r2's named (same keys): Unauthorized, wrong-realm", async () => {
    const r2 = await startNamed({
      realm: "r2",
      authKeys: ring(srv.key),
      onRefused: () => undefined,
    });
    try {
      const { FsLib: Lib } = await import("../../runtime/client/fslib/fslib.js");
      let err: unknown = null;
      try {
        await (
          await Lib.connect({
            named: r2.addr,
            localIp: "127.0.0.1",
            token: srv.token("ops", { role: "admin" }),
          })
        ).exit();
      } catch (e) {
        err = e;
      }
      expect(isSigmaError(err) && err.code).toBe(ErrCode.Unauthorized);
      expect(isSigmaError(err) && err.obj).toBe("wrong-realm");
      const inRealm = await Lib.connect({
        named: r2.addr,
        localIp: "127.0.0.1",
        token: srv.token("ops", { realm: "r2", role: "admin" }),
        realm: "r2",
      });
      await inRealm.exit();
    } finally {
      await r2.close();
    }
  });
});

describe("mount records", () => {
  let server: RpcServer;
  let registrar: FsLib;

  beforeAll(async () => {
    registrar = await srv.connect("echo-svc");
    server = await startRpcServer({
      service: echoService(new TestEcho()),
      host: "127.0.0.1",
      port: 0,
      path: "name/echo",
      fsl: registrar,
      auth: { keys: ring(srv.key), realm: REALM, onRefused: () => undefined },
    });
  });
  afterAll(async () => {
    await server?.close();
    await registrar?.exit();
  });

  it("replacing name/echo with a record of another server is Perm; clients still reach the real one", async () => {
    const fake = {
      addr: [{ addr: "127.0.0.1:9", net: REALM }],
      root: "",
      pubKey: new Uint8Array(),
    };
    expect(await codeOf(mallory.mkMountSymlink("name/echo", fake))).toBe(ErrCode.Perm);
    expect(await codeOf(mallory.remove("name/echo"))).toBe(ErrCode.Perm);
    expect((await alice.readMount("name/echo")).addr[0]?.addr).toBe(server.addr);
    const rpc = await RpcClient.connect(alice, "name/echo");
    try {
      const r = await new EchoClient(rpc).echo({ text: "real", payload: new Uint8Array() });
      expect(r.text).toBe("real");
    } finally {
      await rpc.close();
    }
    const record = (await ops.getDir("name/")).find((s) => s.name === "echo");
    expect(record?.uid).toBe("echo-svc");
  });
});
