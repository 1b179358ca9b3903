/**
 * procd with keys (docs/security.md, "procd in phase 2"): its RPC server refuses a session
 * without a token at the hello, its authorizer sees the caller's principal and refuses a
 * readonly spawner with Unauthorized, and nothing of the refused spawn is created.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProcdClient } from "../../generated/services/procd/rpc-client.js";
import { StartMode } from "../../generated/services/procd/types.js";
import { ErrCode } from "../../generated/sigmap/types.js";
import type { Principal } from "../../runtime/auth/index.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { procdRpcPath } from "../../runtime/proc/index.js";
import { RpcClient } from "../../runtime/rpc/index.js";
import type { Named } from "../../servers/named/index.js";
import { allowUsers, startProcd, type Procd } from "../../servers/procd/index.js";
import { makeBinFixture, type BinFixture } from "../proc/bin-fixture.js";
import { testProcUser } from "../proc/procd-child.js";
import { ring } from "./helpers.js";
import { codeOf, startAuthNamed, type AuthServer } from "./servers.js";

let srv: AuthServer<Named>;
let bin: BinFixture;
let procd: Procd;
let ops: FsLib;
const callers: (Principal | null)[] = [];

beforeAll(async () => {
  srv = await startAuthNamed();
  bin = makeBinFixture();
  procd = await startProcd({
    named: srv.addr,
    kernel: "auth-k1",
    warmPool: 0,
    binDir: bin.dir,
    procUser: testProcUser(),
    client: { token: srv.token("procd-k1"), localIp: "127.0.0.1" },
    authKeys: ring(srv.key),
    authorizeSpawn: (caller, spec) => {
      callers.push(caller.principal);
      return allowUsers(caller, spec);
    },
  });
  ops = await srv.connect("ops", "admin");
});
afterAll(async () => {
  await ops?.exit();
  await procd?.close();
  await srv?.close();
  bin?.remove();
});

function spec(pid: string) {
  return {
    pid,
    program: "no-such-program",
    args: [],
    env: new Map<string, string>(),
    parentDir: "",
    start: StartMode.Cold,
    cwd: "",
  };
}

describe("procd with keys", () => {
  it("registered in named under its token's user", async () => {
    const entry = (await ops.getDir("name/schedd/auth-k1/")).find((s) => s.name === "rpc");
    expect(entry?.uid).toBe("procd-k1");
  });

  it("a readonly spawner is Unauthorized, its principal reached the authorizer, nothing made", async () => {
    const rd = await srv.connect("rd", "readonly");
    try {
      const rpc = await RpcClient.connect(rd, procdRpcPath("auth-k1"));
      try {
        const code = await codeOf(new ProcdClient(rpc).spawn({ proc: spec("p-readonly") }));
        expect(code).toBe(ErrCode.Unauthorized);
      } finally {
        await rpc.close();
      }
    } finally {
      await rd.exit();
    }
    expect(callers.at(-1)).toEqual({ user: "rd", realm: "rootrealm", role: "readonly" });
    expect(await codeOf(ops.stat("name/schedd/auth-k1/pids/p-readonly"))).toBe(ErrCode.Notfound);
  });

  it("a user's spawn passes the authorizer (and then meets the bin directory)", async () => {
    const alice = await srv.connect("alice");
    try {
      const rpc = await RpcClient.connect(alice, procdRpcPath("auth-k1"));
      try {
        const code = await codeOf(new ProcdClient(rpc).spawn({ proc: spec("p-alice") }));
        expect(code).toBe(ErrCode.Notfound);
      } finally {
        await rpc.close();
      }
    } finally {
      await alice.exit();
    }
    expect(callers.at(-1)).toEqual({ user: "alice", realm: "rootrealm", role: "user" });
  });
});
