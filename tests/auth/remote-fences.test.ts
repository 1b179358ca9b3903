/**
 * Fences at servers other than named (docs/security.md, "Fences from the epoch file"): memfsd
 * and RPC servers check a new or raised fence against its epoch file in named (`.epochs`, read
 * through their FsLib), so a fence id presented before its leader used it there (a squat) is
 * Stale and creates nothing, and the leader then fences, writes and raises as usual.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Mode, type Tfence } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { EpochClnt } from "../../runtime/coord/index.js";
import { isSigmaError } from "../../runtime/errors/index.js";
import { startMemfsd, type Memfsd } from "../../servers/memfsd/index.js";
import type { Named } from "../../servers/named/index.js";
import { ring } from "./helpers.js";
import { codeOf, startAuthNamed, type AuthServer } from "./servers.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

let srv: AuthServer<Named>;
let memfsd: Memfsd;
let alice: FsLib;
let ops: FsLib;

beforeAll(async () => {
  srv = await startAuthNamed();
  memfsd = await startMemfsd({
    named: srv.addr,
    pn: "name/m1",
    authKeys: ring(srv.key),
    client: { token: srv.token("memfsd-svc"), localIp: "127.0.0.1" },
  });
  alice = await srv.connect("alice");
  ops = await srv.connect("ops", "admin");
});
afterAll(async () => {
  for (const f of [alice, ops]) await f?.exit();
  await memfsd?.close();
  await srv?.close();
});

/**
 * The Stale message of a fenced putFile by a fresh session of `user` straight to memfsd (its
 * root is the client's `name`, so named sees none of it); null if it was applied.
 */
async function fencedPut(user: string, fence: Tfence, name: string): Promise<string | null> {
  const c = await FsLib.connect({
    named: memfsd.addr,
    localIp: "127.0.0.1",
    token: srv.token(user),
  });
  try {
    c.fenceDir("name", fence);
    await c.putFile(`name/${name}`, 0o644, Mode.OWRITE | Mode.OTRUNC, enc(`${user}`));
    return null;
  } catch (e) {
    if (isSigmaError(e) && e.code === ErrCode.Stale) return e.message;
    throw e;
  } finally {
    await c.exit();
  }
}

describe("fences at memfsd, checked against the epoch file in named", () => {
  it("named's .epochs says what a fence's epoch file holds, and lists nothing", async () => {
    const epochs = new EpochClnt(alice, "name/tmp/facts-leader");
    expect(await epochs.advanceEpoch()).toBe(1n);
    const { qid } = await alice.stat(epochs.name());
    const facts = JSON.parse(dec(await ops.getFile(`name/.epochs/${qid.path.toString(16)}`)));
    expect(facts).toEqual({ owner: "alice", perm: 0o644, epoch: "1" });
    expect(await ops.getDir("name/.epochs")).toEqual([]);
    expect(await codeOf(ops.getFile("name/.epochs/ffffffffffff"))).toBe(ErrCode.Notfound);
  });

  it("a squat of the leader's fence id is Stale and creates nothing; the leader then fences", async () => {
    const epochs = new EpochClnt(alice, "name/tmp/m-leader");
    expect(await epochs.advanceEpoch()).toBe(1n);
    const { qid } = await alice.stat(epochs.name());
    const id = qid.path.toString(16);
    const before = (await ops.getDir("name/m1/.fences")).map((s) => s.name);
    for (const epoch of [1n, 2n, 2n ** 64n - 1n]) {
      const why = await fencedPut(
        "mallory",
        { fenceid: { path: qid.path, serverid: 0n }, epoch },
        "squat",
      );
      expect(why).toContain(`stale fence: ${id}:${epoch.toString(16)}:`);
    }
    expect(await fencedPut("mallory", await epochs.getFence(1n), "squat")).toBe(
      `stale fence: ${id}:1: mallory may not write its epoch file, so does not hold its epoch`,
    );
    expect((await ops.getDir("name/m1/.fences")).map((s) => s.name)).toEqual(before);
    expect(await codeOf(ops.stat("name/m1/squat"))).toBe(ErrCode.Notfound);

    // The leader: its epoch is the file's, so memfsd takes it, and a raise after advancing.
    expect(await fencedPut("alice", await epochs.getFence(1n), "state")).toBeNull();
    const entry = (await ops.getDir("name/m1/.fences")).find((s) => s.name === id);
    expect(entry?.uid).toBe("alice");
    expect(await fencedPut("alice", { ...(await epochs.getFence(1n)), epoch: 2n }, "state")).toBe(
      `stale fence: ${id}:2: its epoch file holds epoch 1`,
    );
    expect(await epochs.advanceEpoch()).toBe(2n);
    expect(await fencedPut("alice", await epochs.getFence(2n), "state")).toBeNull();
    expect(dec(await ops.getFile("name/m1/state"))).toBe("alice");
    // The deposed epoch is Stale now, as for any fence.
    expect(
      await fencedPut("alice", { ...(await epochs.getFence(2n)), epoch: 1n }, "state"),
    ).not.toBeNull();
  });

  it("a fence id with no epoch file in named is Stale", async () => {
    const fence = { fenceid: { path: 0xfeedn, serverid: 0n }, epoch: 1n };
    expect(await fencedPut("alice", fence, "nofile")).toBe(
      "stale fence: feed:1: no epoch file with this fence id in named",
    );
    expect(await codeOf(ops.stat("name/m1/nofile"))).toBe(ErrCode.Notfound);
  });
});
