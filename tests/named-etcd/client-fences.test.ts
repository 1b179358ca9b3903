/**
 * Client fences in etcd (docs/named-etcd.md, "Client fences"; spec 4.9): a fence raised at one
 * leader is still raised at the next one, so a deposed client's stale fenced write is Stale there
 * and changes nothing, in named's cache or in etcd (read directly). A raise is in etcd before the
 * raising request is answered, whatever request raised it; removing a fence through `.fences`
 * deletes its key.
 */
import { describe, expect, it } from "vitest";
import { ErrCode, type Tfence } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { isErr } from "../../runtime/errors/index.js";
import { needingEtcd } from "../support/needs-tool.js";
import { etcdWorld } from "./etcd-world.js";

const { title, missing } = needingEtcd("named on etcd: client fences across failover");
const enc = new TextEncoder();
const dec = new TextDecoder();
const PREFIX = "/sigma/rootrealm/";
const hex16 = (n: bigint): string => n.toString(16).padStart(16, "0");

const fenceAt = (id: bigint, epoch: bigint): Tfence => ({
  fenceid: { path: id, serverid: 0n },
  epoch,
});

async function stale(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return false;
  } catch (e) {
    if (isErr(e, ErrCode.Stale)) return true;
    throw e;
  }
}

describe.skipIf(missing)(title, () => {
  const w = etcdWorld({ members: 1, replicas: 2 });

  /** A new client whose requests under `dir` carry fence `id` at `epoch`. */
  async function fenced(dir: string, id: bigint, epoch: bigint): Promise<FsLib> {
    const c = await w.connect();
    c.fenceDir(dir, fenceAt(id, epoch));
    return c;
  }

  /** The fence's key as etcd holds it: its value (JSON) and mod revision, or undefined. */
  async function fenceKey(id: bigint): Promise<{ value: unknown; rev: string } | undefined> {
    const res = await w.etcd
      .client()
      .get(`${PREFIX}f/${hex16(id)}`)
      .exec();
    const kv = res.kvs[0];
    return kv === undefined
      ? undefined
      : { value: JSON.parse(kv.value.toString()) as unknown, rev: kv.mod_revision };
  }

  /** An object's key as etcd holds it: value and mod revision. */
  async function objKey(id: bigint): Promise<{ value: string; rev: string }> {
    const res = await w.etcd
      .client()
      .get(`${PREFIX}o/${hex16(id)}`)
      .exec();
    const kv = res.kvs[0]!;
    return { value: kv.value.toString("base64"), rev: kv.mod_revision };
  }

  it("a fence raised to 2 at leader A is 2 at leader B: epoch 1 is Stale and changes nothing; a raise to 3 at B outlives B", async () => {
    const DIR = "name/fenced";
    const ID = 0xfe1ce5n;
    const first = await w.named.leader();
    const setup = await w.connect();
    await setup.mkDir(DIR, 0o777);

    const e1 = await fenced(DIR, ID, 1n);
    await e1.putFile(`${DIR}/state`, 0o644, 0, enc.encode("epoch 1"));
    expect(await fenceKey(ID)).toMatchObject({ value: { e: "1", o: "" } });
    const e2 = await fenced(DIR, ID, 2n);
    await e2.putFile(`${DIR}/state`, 0o644, 0, enc.encode("epoch 2"));
    expect(await fenceKey(ID)).toMatchObject({ value: { e: "2", o: "" } });
    expect(await stale(e1.putFile(`${DIR}/state`, 0o644, 0, enc.encode("late at A")))).toBe(true);

    await w.named.kill(first);
    const second = await w.named.leader();
    expect(second.addr).not.toBe(first.addr);

    // The new leader's table is not empty: it loaded the fence at epoch 2.
    const look = await w.connect();
    expect((await look.getDir("name/.fences")).map((s) => s.name)).toEqual([ID.toString(16)]);
    const stateId = (await look.stat(`${DIR}/state`)).qid.path;
    const objBefore = await objKey(stateId);
    const fenceBefore = await fenceKey(ID);
    const deposed = await fenced(DIR, ID, 1n);
    expect(await stale(deposed.putFile(`${DIR}/state`, 0o644, 0, enc.encode("stale")))).toBe(true);
    expect(await stale(deposed.putFile(`${DIR}/new`, 0o644, 0, enc.encode("stale")))).toBe(true);
    expect(await stale(deposed.remove(`${DIR}/state`))).toBe(true);
    expect(await stale(deposed.rename(`${DIR}/state`, `${DIR}/moved`))).toBe(true);
    // Nothing changed: named's view and etcd's keys (the object's and the fence's revisions).
    expect(dec.decode(await look.getFile(`${DIR}/state`))).toBe("epoch 2");
    expect((await look.getDir(DIR)).map((s) => s.name)).toEqual(["state"]);
    expect(await objKey(stateId)).toEqual(objBefore);
    expect(await fenceKey(ID)).toEqual(fenceBefore);

    // Epoch 2 goes on at B; a raise to 3 there is in etcd, and epoch 2 is then Stale.
    const e2b = await fenced(DIR, ID, 2n);
    await e2b.putFile(`${DIR}/state`, 0o644, 0, enc.encode("epoch 2 at B"));
    const e3 = await fenced(DIR, ID, 3n);
    await e3.putFile(`${DIR}/state`, 0o644, 0, enc.encode("epoch 3"));
    expect(await fenceKey(ID)).toMatchObject({ value: { e: "3", o: "" } });
    expect(await stale(e2b.putFile(`${DIR}/state`, 0o644, 0, enc.encode("late at B")))).toBe(true);

    // Another failover, back to the first replica: epoch 3 holds there too.
    await w.named.restart(w.named.all.indexOf(first));
    await w.named.kill(second);
    const third = await w.named.leader();
    expect(third.addr).toBe(first.addr);
    const late2 = await fenced(DIR, ID, 2n);
    expect(await stale(late2.putFile(`${DIR}/state`, 0o644, 0, enc.encode("stale 2")))).toBe(true);
    const e3c = await fenced(DIR, ID, 3n);
    await e3c.putFile(`${DIR}/more`, 0o644, 0, enc.encode("epoch 3 at C"));
    const after = await w.connect();
    expect(dec.decode(await after.getFile(`${DIR}/state`))).toBe("epoch 3");
    expect((await after.getDir(DIR)).map((s) => s.name)).toEqual(["more", "state"]);
    expect(await fenceKey(ID)).toMatchObject({ value: { e: "3", o: "" } });
    await w.named.restart(w.named.all.indexOf(second));
  }, 60_000);

  it("a raise by a read is in etcd before the read is answered; removing the fence deletes its key", async () => {
    const DIR = "name/read-fenced";
    const ID = 0xbeadn;
    const setup = await w.connect();
    await setup.mkDir(DIR, 0o777);
    await setup.putFile(`${DIR}/f`, 0o644, 0, enc.encode("x"));
    const r4 = await fenced(DIR, ID, 4n);
    expect(dec.decode(await r4.getFile(`${DIR}/f`))).toBe("x");
    expect(await fenceKey(ID)).toMatchObject({ value: { e: "4", o: "" } });
    const r5 = await fenced(DIR, ID, 5n);
    expect(dec.decode(await r5.getFile(`${DIR}/f`))).toBe("x");
    expect(await fenceKey(ID)).toMatchObject({ value: { e: "5", o: "" } });
    expect(await stale(r4.putFile(`${DIR}/f`, 0o644, 0, enc.encode("stale")))).toBe(true);

    await setup.remove(`name/.fences/${ID.toString(16)}`);
    expect(await fenceKey(ID)).toBeUndefined();
    // Gone, it comes back at the epoch that brings it (spec 4.9), in etcd too.
    await r4.putFile(`${DIR}/f`, 0o644, 0, enc.encode("epoch 4 again"));
    expect(await fenceKey(ID)).toMatchObject({ value: { e: "4", o: "" } });
    expect(dec.decode(await setup.getFile(`${DIR}/f`))).toBe("epoch 4 again");
  }, 20_000);
});
