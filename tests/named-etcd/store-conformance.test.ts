/**
 * The object interfaces of runtime/fs/types.ts, one suite run against both stores: memfs and the
 * etcd store on a private etcd. Each case states the versions spec 4.3 requires.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Perm } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { MemFs, type ByteObj, type Dir, type FsObj } from "../../runtime/fs/index.js";
import type { EtcdFs, Leadership } from "../../runtime/fs-etcd/index.js";
import { openLeaderStore } from "./leader-store.js";
import { startEtcd } from "../../devtools/etcd.js";
import { needingEtcd } from "../support/needs-tool.js";
import type { Etcd3 } from "etcd3";

interface Store {
  root(): Promise<Dir>;
  done(): Promise<void>;
}

const etcdNeed = needingEtcd("etcd store");

const stores: { name: string; missing: boolean; make(): Promise<Store> }[] = [
  {
    name: "memfs",
    missing: false,
    make: async () => ({ root: async () => new MemFs().root, done: async () => {} }),
  },
  {
    name: etcdNeed.title,
    missing: etcdNeed.missing,
    make: async () => {
      const etcd = await startEtcd(1);
      const clients: Etcd3[] = [];
      const held: { fs: EtcdFs; lead: Leadership }[] = [];
      let n = 0;
      return {
        async root() {
          const { client, fs, lead } = await openLeaderStore(etcd.endpoints, `/t${n++}/`);
          clients.push(client);
          held.push({ fs, lead });
          return fs.root;
        },
        async done() {
          for (const h of held) {
            h.fs.close();
            await h.lead.resign();
          }
          for (const c of clients) c.close();
          await etcd.stop();
        },
      };
    },
  },
];

const FILE = 0o644;
const DIR = Perm.DMDIR | 0o755;
const owner = { owner: "tester" };

async function version(o: FsObj): Promise<number> {
  return (await o.meta()).version;
}

async function code(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    for (const c of Object.values(ErrCode)) if (isErr(e, c)) return c;
    throw e;
  }
}

describe.each(stores)("store $name", ({ missing, make }) => {
  let store: Store;
  let root: Dir;
  beforeAll(async () => {
    if (!missing) store = await make();
  });
  afterAll(async () => {
    if (!missing) await store.done();
  });

  it.skipIf(missing)(
    "create: new object at version 1, the directory moves once; Exists after",
    async () => {
      root = await store.root();
      const v0 = await version(root);
      const f = (await root.create("a", FILE, {
        ...owner,
        content: new TextEncoder().encode("hi"),
      })) as ByteObj;
      expect(f.kind).toBe("file");
      expect(await version(f)).toBe(1);
      expect(await version(root)).toBe(v0 + 1);
      expect(new TextDecoder().decode(await f.read(0n, 10))).toBe("hi");
      expect(await code(root.create("a", FILE, owner))).toBe(ErrCode.Exists);
      expect(await version(root)).toBe(v0 + 1);
      expect(await root.lookup("a")).toBe(f);
    },
  );

  it.skipIf(missing)(
    "write, truncate, replace: one version move each; version checks",
    async () => {
      root = await store.root();
      const f = (await root.create("f", FILE, owner)) as ByteObj;
      expect(await f.write(0n, new Uint8Array([1, 2, 3]))).toBe(3);
      expect(await version(f)).toBe(2);
      expect(await f.write(5n, new Uint8Array([9]))).toBe(1);
      expect([...(await f.read(0n, 100))]).toEqual([1, 2, 3, 0, 0, 9]);
      expect(await code(f.write(0n, new Uint8Array([7]), 1))).toBe(ErrCode.Version);
      await f.truncate(2n);
      expect([...(await f.read(0n, 100))]).toEqual([1, 2]);
      expect(await f.replace(new Uint8Array([4, 4, 4, 4]))).toBe(4);
      expect(await version(f)).toBe(5);
      expect((await f.meta()).length).toBe(4n);
      expect(await code(f.read(0n, 1, 4))).toBe(ErrCode.Version);
    },
  );

  it.skipIf(missing)(
    "list in byte order, paged; a directory's length follows its entries",
    async () => {
      root = await store.root();
      const d = (await root.create("d", DIR, owner)) as Dir;
      for (const n of ["b", "a", "c", "B"]) await d.create(n, FILE, owner);
      expect((await d.list(undefined, 10)).map((e) => e.name)).toEqual(["B", "a", "b", "c"]);
      expect((await d.list("a", 2)).map((e) => e.name)).toEqual(["b", "c"]);
      const before = (await d.meta()).length;
      expect(before).toBeGreaterThan(0n);
      await d.remove("c");
      expect((await d.meta()).length).toBeLessThan(before);
    },
  );

  it.skipIf(missing)(
    "remove: by identity, NotEmpty, versions of object and directory",
    async () => {
      root = await store.root();
      const d = (await root.create("r", DIR, owner)) as Dir;
      const x = await d.create("x", FILE, owner);
      expect(await code(root.remove("r"))).toBe(ErrCode.NotEmpty);
      const other = await root.create("y", FILE, owner);
      expect(await code(d.remove("x", other))).toBe(ErrCode.Notfound);
      const dv = await version(d);
      const removed = await d.remove("x", x);
      expect(removed).toBe(x);
      const m = await x.meta();
      expect(m.linked).toBe(false);
      expect(m.version).toBe(2);
      expect(await version(d)).toBe(dv + 1);
      expect(await d.lookup("x")).toBeUndefined();
      expect(await code(d.remove("x"))).toBe(ErrCode.Notfound);
    },
  );

  it.skipIf(missing)("rename: within and across directories, replacing, refusing", async () => {
    root = await store.root();
    const a = (await root.create("ra", DIR, owner)) as Dir;
    const b = (await root.create("rb", DIR, owner)) as Dir;
    const f = await a.create("f", FILE, owner);
    const g = await b.create("g", FILE, owner);
    const [av, bv] = [await version(a), await version(b)];
    const r = await a.rename("f", b, "g");
    expect(r.moved).toBe(f);
    expect(r.replaced).toBe(g);
    expect((await g.meta()).linked).toBe(false);
    expect(await version(f)).toBe(2);
    expect(await version(a)).toBe(av + 1);
    expect(await version(b)).toBe(bv + 1);
    expect((await f.meta()).name).toBe("g");
    expect((await f.meta()).parent).toBe(b);
    expect(await b.lookup("g")).toBe(f);
    expect(await a.lookup("f")).toBeUndefined();
    await b.create("sub", DIR, owner);
    expect(await code(b.rename("g", b, "sub"))).toBe(ErrCode.Isdir);
    expect(await code(root.rename("rb", b, "inside"))).toBe(ErrCode.Inval);
    expect(await code(root.rename("nope", b, "x"))).toBe(ErrCode.Notfound);
  });

  it.skipIf(missing)("symlinks hold their target; creating with an offset zero-fills", async () => {
    root = await store.root();
    const s = (await root.create("s", Perm.DMSYMLINK | 0o777, {
      ...owner,
      content: new TextEncoder().encode("x/y"),
    })) as ByteObj;
    expect(s.kind).toBe("symlink");
    expect(new TextDecoder().decode(await s.read(0n, 10))).toBe("x/y");
    const z = (await root.create("z", FILE, {
      ...owner,
      content: new Uint8Array([5]),
      contentOffset: 2n,
    })) as ByteObj;
    expect([...(await z.read(0n, 10))]).toEqual([0, 0, 5]);
  });

  it.skipIf(missing)("concurrent creates in different directories get distinct ids", async () => {
    root = await store.root();
    const dirs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => root.create(`cc${i}`, DIR, owner)),
    );
    const made = await Promise.all(dirs.map((d) => (d as Dir).create("x", FILE, owner)));
    const ids = new Set([...dirs, ...made].map((o) => o.id));
    expect(ids.size).toBe(16);
    for (const [i, d] of dirs.entries()) expect(await (d as Dir).lookup("x")).toBe(made[i]);
  });
});
