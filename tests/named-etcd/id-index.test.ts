/**
 * The etcd store's id index (runtime/fs-etcd/id-index.ts), against a real etcd: `byId` finds
 * exactly the objects linked in the tree — after creates, renames (over an existing entry too)
 * and removes, after a new leader loads the tree, and when an ephemeral directory's lease runs
 * out (its non-ephemeral entries leave with it), whether before the load or under a live leader,
 * which goes on serving (its ephemeral entries, deleted by etcd with it, are no separate removal).
 * Each case checks every id it ever made against the tree walked from the root.
 */
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Perm } from "../../generated/sigmap/types.js";
import type { Dir, FsObj } from "../../runtime/fs/index.js";
import type { EtcdFs, EtcdFsOptions } from "../../runtime/fs-etcd/index.js";
import { openLeaderStore } from "./leader-store.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("etcd store: the id index");
const FILE = 0o644;
const DIR = Perm.DMDIR | 0o755;
const owner = { owner: "t" };

/** Every object the root reaches, by id (the root included). */
async function linked(root: Dir): Promise<Map<bigint, FsObj>> {
  const out = new Map<bigint, FsObj>([[root.id, root]]);
  const dirs: Dir[] = [root];
  for (let d = dirs.pop(); d !== undefined; d = dirs.pop()) {
    for (const { obj } of await d.list(undefined, 1_000_000)) {
      out.set(obj.id, obj);
      if (obj.kind === "dir") dirs.push(obj);
    }
  }
  return out;
}

/** byId finds exactly the linked objects among `ids`, each as the tree holds it. */
async function expectExact(fs: EtcdFs, ids: Iterable<bigint>): Promise<void> {
  const tree = await linked(fs.root);
  for (const id of ids) expect(fs.byId(id), `object ${id.toString(16)}`).toBe(tree.get(id));
  for (const [id, obj] of tree) expect(fs.byId(id)).toBe(obj);
  expect(fs.objectCount).toBe(tree.size);
}

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  const undo: (() => unknown)[] = [];
  let n = 0;

  beforeAll(async () => {
    etcd = await startEtcd(1);
  }, 30_000);
  afterAll(async () => {
    for (const fn of undo.reverse()) await fn();
    await etcd?.stop();
  });

  /** A leader of `prefix`; `stop` ends it as a dead leader would (no keepalives, key gone). */
  const leader = async (
    prefix: string,
    hooks: Pick<EtcdFsOptions, "onRemoved" | "onDeposed"> = {},
  ) => {
    const { client, fs, lead } = await openLeaderStore(etcd.endpoints, prefix, hooks, "r");
    undo.push(() => client.close());
    undo.push(() => fs.close());
    const stop = async (): Promise<void> => {
      fs.close();
      await lead.resign();
    };
    return { fs, stop };
  };
  const fresh = (): string => `/ids${n++}/`;

  /** Resolves when etcd deletes `key` (a lease running out), watched from now. */
  const deleted = async (key: Buffer): Promise<void> => {
    const w = await etcd.client().watch().key(key).only("delete").create();
    undo.push(() => w.cancel());
    await once(w, "delete");
  };

  it("creates, renames and removes keep it exact; a new leader's load finds the same", async () => {
    const prefix = fresh();
    const a = await leader(prefix);
    const ids: bigint[] = [a.fs.root.id];
    const mk = async (d: Dir, name: string, perm: number): Promise<FsObj> => {
      const obj = await d.create(name, perm, owner);
      ids.push(obj.id);
      return obj;
    };
    const d1 = (await mk(a.fs.root, "d1", DIR)) as Dir;
    const d2 = (await mk(a.fs.root, "d2", DIR)) as Dir;
    const f = await mk(d1, "f", FILE);
    const g = await mk(d1, "g", FILE);
    const h = await mk(d2, "h", FILE);
    const sub = (await mk(d1, "sub", DIR)) as Dir;
    await mk(sub, "deep", FILE);
    await expectExact(a.fs, ids);
    expect(a.fs.byId(f.id)).toBe(f);

    // Within a directory, across directories, and over an existing entry (h goes).
    await d1.rename("f", d1, "f2");
    await d1.rename("g", d2, "g");
    await d2.rename("g", d2, "h");
    expect(a.fs.byId(g.id)).toBe(g);
    expect(a.fs.byId(h.id)).toBeUndefined();
    // A whole directory moves: what is under it stays found.
    await d1.rename("sub", d2, "sub");
    await d1.remove("f2");
    expect(a.fs.byId(f.id)).toBeUndefined();
    await expectExact(a.fs, ids);
    const deep = ids[7]!;
    expect(new Set((await linked(a.fs.root)).keys())).toEqual(
      new Set([a.fs.root.id, d1.id, d2.id, g.id, sub.id, deep]),
    );

    // The leader dies; the next one loads the tree from etcd.
    await a.stop();
    const b = await leader(prefix);
    await expectExact(b.fs, ids);
    const d2b = (await b.fs.root.lookup("d2")) as Dir;
    expect(b.fs.byId(g.id)).toBe(await d2b.lookup("h"));
    expect(b.fs.byId(h.id)).toBeUndefined();
    expect(b.fs.byId(f.id)).toBeUndefined();
    // It goes on keeping it exact.
    await mk(b.fs.root, "after", FILE);
    await d2b.remove("h");
    expect(b.fs.byId(g.id)).toBeUndefined();
    await expectExact(b.fs, ids);
    await b.stop();
  }, 30_000);

  it("an ephemeral directory whose lease ran out before the load: nothing under it is found", async () => {
    const prefix = fresh();
    const a = await leader(prefix);
    const eph = (await a.fs.root.create("eph", Perm.DMDIR | Perm.DMTMP | 0o755, {
      ...owner,
      session: 7n,
    })) as Dir;
    const inner = (await eph.create("inner", DIR, owner)) as Dir;
    const file = await inner.create("file", FILE, owner);
    const kept = await a.fs.root.create("kept", FILE, owner);
    const gone = deleted(a.fs.keys.obj(eph.id));
    await a.stop();
    await gone;

    const b = await leader(prefix);
    // inner and file are still in etcd (no lease), but the root reaches neither.
    const left = await etcd.client().get(b.fs.keys.obj(file.id).toString()).exec();
    expect(left.kvs).toHaveLength(1);
    await expectExact(b.fs, [eph.id, inner.id, file.id, kept.id]);
    expect(b.fs.byId(inner.id)).toBeUndefined();
    expect(b.fs.byId(file.id)).toBeUndefined();
    expect(b.fs.byId(kept.id)?.kind).toBe("file");
    await b.stop();
  }, 30_000);

  it("an ephemeral directory whose lease runs out under a live leader takes its entries along", async () => {
    const prefix = fresh();
    const a = await leader(prefix);
    // Older than the directory, so etcd reports its deletion first (keys sort by id).
    const older = await a.fs.root.create("older", Perm.DMTMP | FILE, { ...owner, session: 9n });
    const eph = (await a.fs.root.create("eph", Perm.DMDIR | Perm.DMTMP | 0o755, {
      ...owner,
      session: 9n,
    })) as Dir;
    await a.fs.root.rename("older", eph, "older");
    const inner = (await eph.create("inner", DIR, owner)) as Dir;
    const file = await inner.create("file", FILE, owner);
    // Ephemeral entries of the same session: etcd deletes them with the directory.
    const tmp = await eph.create("tmp", Perm.DMTMP | FILE, { ...owner, session: 9n });
    // The first leader dies with the session's lease still alive; the next one loads it all.
    await a.stop();
    let removed!: () => void;
    let deposed!: (e: Error) => void;
    const expired = new Promise<void>((resolve, reject) => {
      removed = resolve;
      deposed = reject;
    });
    const told: bigint[] = [];
    const b = await leader(prefix, {
      onRemoved: (_dir, obj) => {
        told.push(obj.id);
        if (obj.id === eph.id) removed();
      },
      onDeposed: (why) => deposed(new Error(`deposed: ${why}`)),
    });
    expect(b.fs.byId(file.id)?.kind).toBe("file");
    const held = b.fs.byId(file.id)!;
    await expired;
    await expectExact(b.fs, [eph.id, inner.id, file.id, tmp.id, older.id]);
    expect(b.fs.byId(eph.id)).toBeUndefined();
    expect(b.fs.byId(inner.id)).toBeUndefined();
    expect(b.fs.byId(file.id)).toBeUndefined();
    expect((await held.meta()).linked).toBe(false);
    // protsrv hears of each (watches on them fire), the directory first.
    expect(told[0]).toBe(eph.id);
    expect(new Set(told)).toEqual(new Set([eph.id, inner.id, file.id, tmp.id, older.id]));
    expect(told).toHaveLength(5);
    // The entries' own deletions found nothing left to remove: the leader still serves.
    await b.fs.root.create("after", FILE, owner);
    expect(b.fs.deposed).toBe(false);
    await b.stop();
  }, 30_000);
});
