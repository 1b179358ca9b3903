/**
 * The etcd store's fence keys (runtime/fs-etcd/fence-keys.ts, docs/named-etcd.md "Client
 * fences"), below protsrv's table: a mutation inside `within` rides on one transaction that
 * compares the fence key, so a stale epoch writes nothing even if the table let it through, and a
 * fence key changed behind the leader's back makes the transaction fail instead of committing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Etcd3 } from "etcd3";
import { ErrCode } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import type { ByteObj } from "../../runtime/fs/index.js";
import type { EtcdFs, Leadership } from "../../runtime/fs-etcd/index.js";
import { openLeaderStore } from "./leader-store.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("etcd store: fence keys");
const enc = new TextEncoder();
const hex16 = (n: bigint): string => n.toString(16).padStart(16, "0");

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  let check: Etcd3;
  const clients: Etcd3[] = [];
  const held: { fs: EtcdFs; lead: Leadership }[] = [];
  let n = 0;

  beforeAll(async () => {
    etcd = await startEtcd(1);
    check = etcd.client();
  }, 30_000);
  afterAll(async () => {
    for (const h of held) {
      h.fs.close();
      await h.lead.resign().catch(() => undefined);
    }
    for (const c of clients) c.close();
    await etcd?.stop();
  });

  async function open(prefix: string): Promise<{ fs: EtcdFs; lead: Leadership }> {
    const { client, fs, lead } = await openLeaderStore(etcd.endpoints, prefix);
    clients.push(client);
    const h = { fs, lead };
    held.push(h);
    return h;
  }

  async function kv(key: string): Promise<{ value: string; rev: string } | undefined> {
    const got = (await check.get(key).exec()).kvs[0];
    return got === undefined ? undefined : { value: got.value.toString(), rev: got.mod_revision };
  }

  async function code(p: Promise<unknown>): Promise<number | undefined> {
    try {
      await p;
      return undefined;
    } catch (e) {
      if (isErr(e, ErrCode.Stale)) return ErrCode.Stale;
      if (isErr(e, ErrCode.Unreachable)) return ErrCode.Unreachable;
      throw e;
    }
  }

  it("a fenced write is one transaction; a stale epoch writes nothing; epochs only grow; a new store loads them", async () => {
    const prefix = `/fk${n++}/`;
    const { fs, lead } = await open(prefix);
    const file = (await fs.root.create("f", 0o644, { owner: "" })) as ByteObj;
    const objKey = `${prefix}o/${hex16(file.id)}`;
    await fs.fences.save({ id: 7n, epoch: 2n, owner: "alice" });
    expect(JSON.parse((await kv(`${prefix}f/${hex16(7n)}`))!.value)).toEqual({
      e: "2",
      o: "alice",
    });

    const txns = fs.committer.txns;
    await fs.fences.within(7n, 2n, () => file.write(0n, enc.encode("epoch 2")));
    expect(fs.committer.txns).toBe(txns + 1);

    const before = await kv(objKey);
    expect(await code(fs.fences.within(7n, 1n, () => file.write(0n, enc.encode("stale"))))).toBe(
      ErrCode.Stale,
    );
    expect(await code(fs.fences.save({ id: 7n, epoch: 1n, owner: "alice" }))).toBe(ErrCode.Stale);
    expect(fs.committer.txns).toBe(txns + 1);
    expect(await kv(objKey)).toEqual(before);
    expect(fs.fences.epochOf(7n)).toBe(2n);

    // Dropped, the id may start again lower (spec 4.9: a fence the table forgot).
    await fs.fences.save({ id: 9n, epoch: 5n, owner: "" });
    await fs.fences.drop(9n);
    expect(await kv(`${prefix}f/${hex16(9n)}`)).toBeUndefined();
    await fs.fences.save({ id: 9n, epoch: 1n, owner: "" });

    fs.close();
    await lead.resign();
    const next = await open(prefix);
    expect(next.fs.fences.loaded()).toEqual([
      { id: 7n, epoch: 2n, owner: "alice" },
      { id: 9n, epoch: 1n, owner: "" },
    ]);
  });

  it("fenced writes of many requests under one fence group-commit: a transaction compares one fence key for many mutations", async () => {
    const prefix = `/fk${n++}/`;
    const { fs } = await open(prefix);
    const files: ByteObj[] = [];
    for (let i = 0; i < 20; i++) {
      files.push((await fs.root.create(`f${i}`, 0o644, { owner: "" })) as ByteObj);
    }
    await fs.fences.save({ id: 7n, epoch: 2n, owner: "" });
    const txns = fs.committer.txns;
    const counts = await Promise.all(
      files.map((f, i) => fs.fences.within(7n, 2n, () => f.write(0n, enc.encode(`w${i}`)))),
    );
    expect(counts).toEqual(files.map((_, i) => `w${i}`.length));
    // Batched (etcd takes one key compared many times in a transaction), so fewer than 20.
    expect(fs.committer.txns - txns).toBeLessThan(files.length);
    for (const [i, f] of files.entries()) {
      expect(new TextDecoder().decode(await f.read(0n, 10))).toBe(`w${i}`);
    }
  });

  it("a fence key changed behind the leader's back fails the fenced write's transaction: nothing lands", async () => {
    const prefix = `/fk${n++}/`;
    const { fs } = await open(prefix);
    const file = (await fs.root.create("f", 0o644, { owner: "" })) as ByteObj;
    const objKey = `${prefix}o/${hex16(file.id)}`;
    await fs.fences.save({ id: 7n, epoch: 2n, owner: "" });
    // A write the cache never saw (only a divergence could cause one): the compare catches it.
    await check.put(`${prefix}f/${hex16(7n)}`).value(JSON.stringify({ e: "3", o: "" }));
    const before = await kv(objKey);
    const unfenced = await kv(`${prefix}f/${hex16(7n)}`);
    expect(await code(fs.fences.within(7n, 2n, () => file.write(0n, enc.encode("x"))))).toBe(
      ErrCode.Unreachable,
    );
    expect(fs.deposed).toBe(true);
    expect(await kv(objKey)).toEqual(before);
    expect(await kv(`${prefix}f/${hex16(7n)}`)).toEqual(unfenced);
  });
});
