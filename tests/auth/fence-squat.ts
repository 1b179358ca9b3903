/**
 * The squat of issue 15 against a named with keys, whatever its store (docs/security.md, "Fences
 * from the epoch file"): another user presents a leader's fence id before the leader does, and
 * the leader then fences as usual. Shared by tests/auth/attacks (memfs) and
 * tests/named-etcd/keyed-fences (etcd, also after a failover).
 */
import { expect } from "vitest";
import { ErrCode, Mode } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import type { EpochClnt } from "../../runtime/coord/index.js";
import { codeOf } from "./servers.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/** `.fences` of named, by name. */
export async function fenceNames(ops: FsLib): Promise<string[]> {
  return (await ops.getDir("name/.fences")).map((s) => s.name);
}

/** `.fences` of named as `name@version` (a raise moves an entry's version). */
async function fenceVersions(ops: FsLib): Promise<string[]> {
  return (await ops.getDir("name/.fences")).map((s) => `${s.name}@${s.qid.version}`);
}

/**
 * `squatter` (a session of another user than the file's owner) fences `dir` with the fence id of
 * `epochs`' file (its object id: anyone may stat the 0644 file) at each of `tried` and creates
 * `dir/squat`. Each is Stale; afterwards `.fences` is as before (no entry made or raised) and
 * `dir/squat` does not exist. Where the leader's fence is in `.fences` already, try only epochs
 * above its own: a request at the entry's epoch holds it, as any fenced request does.
 */
export async function expectSquatStale(
  squatter: FsLib,
  ops: FsLib,
  epochs: EpochClnt,
  dir: string,
  tried: readonly bigint[] = [1n, 2n, 2n ** 64n - 1n],
): Promise<void> {
  const before = await fenceVersions(ops);
  const { qid } = await squatter.stat(epochs.name());
  for (const epoch of tried) {
    squatter.fenceDir(dir, { fenceid: { path: qid.path, serverid: 0n }, epoch });
    expect(await codeOf(squatter.putFile(`${dir}/squat`, 0o644, Mode.OWRITE, enc("m")))).toBe(
      ErrCode.Stale,
    );
  }
  expect(await fenceVersions(ops)).toEqual(before);
  expect(await codeOf(ops.stat(`${dir}/squat`))).toBe(ErrCode.Notfound);
}

/**
 * The leader (a session of `user`, the owner of `epochs`' file) fences `dir` at the epoch the file
 * holds and writes `dir/<name>`: the `.fences` entry is its. Then it advances the epoch, fences
 * at the new one and writes again; its old epoch is Stale from then on. Returns the new epoch.
 */
export async function expectLeaderFences(
  leader: FsLib,
  ops: FsLib,
  epochs: EpochClnt,
  dir: string,
  name: string,
  user = "alice",
): Promise<bigint> {
  const held = await epochs.readEpoch();
  const path = `${dir}/${name}`;
  leader.fenceDir(dir, await epochs.getFence(held));
  await leader.putFile(path, 0o644, Mode.OWRITE | Mode.OTRUNC, enc(`epoch ${held}`));
  const { qid } = await ops.stat(epochs.name());
  const entry = (await ops.getDir("name/.fences")).find((s) => s.name === qid.path.toString(16));
  expect(entry?.uid).toBe(user);
  const next = await epochs.advanceEpoch();
  expect(next).toBe(held + 1n);
  leader.fenceDir(dir, await epochs.getFence(next));
  await leader.putFile(path, 0o644, Mode.OWRITE | Mode.OTRUNC, enc(`epoch ${next}`));
  expect(dec(await ops.getFile(path))).toBe(`epoch ${next}`);
  leader.fenceDir(dir, { ...(await epochs.getFence(next)), epoch: held });
  expect(await codeOf(leader.putFile(path, 0o644, Mode.OWRITE | Mode.OTRUNC, enc("deposed")))).toBe(
    ErrCode.Stale,
  );
  expect(dec(await ops.getFile(path))).toBe(`epoch ${next}`);
  return next;
}
