/**
 * putFile and getFile against etcd's put and get of the same 100 bytes, one key per named file.
 * The rows say what differs beyond the protocol: etcd commits every put to its WAL with an fsync
 * (through raft, here with one member), memfs keeps files in memory only.
 */
import { tmpdir } from "node:os";
import type { SuiteContext } from "../../lib/suite.js";
import { ratioAtLeast } from "../../lib/target.js";
import type { EtcdKv } from "./etcd.js";
import { ETCD_INSTALL_HINT } from "./etcd-binary.js";
import { fsKind } from "./fs-kind.js";
import { FILE_BYTES, type NamedOps } from "./named-ops.js";
import type { Processes } from "./processes.js";
import { DEPTH, windowed } from "./windowed.js";

/** As many keys as named-ops.ts has files. */
const KEYS = 128;

export async function etcdCases(
  ctx: SuiteContext,
  ops: NamedOps,
  etcd: Processes["etcd"],
): Promise<void> {
  if (etcd === null) return skipped(ctx, ops);
  if ("error" in etcd) throw etcd.error;
  const kv = await checked(etcd.kv);
  const fsync = `etcd fsyncs every put (WAL on ${fsKind(tmpdir())}), memfs does not`;
  const differs = `fsyncs each put (WAL on ${fsKind(tmpdir())}); memfs keeps files in memory`;
  const put = keyed((key) => kv.put(key, VALUE));
  const get = keyed((key) => kv.get(key));

  await ctx.compare({
    name: "named-putfile-seq-vs-etcd",
    unit: "ops/s",
    timeEachOp: true,
    run: ops.putFile,
    baseline: { name: "etcd-put-seq", run: put, differs },
    target: ratioAtLeast(5),
    note: `putFile / put of ${FILE_BYTES} B, 1 in flight; ${fsync}`,
  });
  await ctx.compare({
    name: "named-putfile-64-vs-etcd",
    unit: "ops/s",
    ...windowed(ops.putFile),
    baseline: { name: "etcd-put-64", ...windowed(put), differs },
    target: ratioAtLeast(5),
    note: `${DEPTH} in flight, one etcd3 client (one gRPC channel); ${fsync}`,
  });
  await ctx.compare({
    name: "named-getfile-seq-vs-etcd",
    unit: "ops/s",
    timeEachOp: true,
    run: ops.getFile,
    baseline: { name: "etcd-get-seq", run: get },
    note: `getFile / get of ${FILE_BYTES} B, 1 in flight (etcd: linearizable read)`,
  });
  await ctx.compare({
    name: "named-getfile-64-vs-etcd",
    unit: "ops/s",
    ...windowed(ops.getFile),
    baseline: { name: "etcd-get-64", ...windowed(get) },
    note: `${DEPTH} in flight, one etcd3 client`,
  });
}

const VALUE = Buffer.alloc(FILE_BYTES, 0x5a);

/** Each call on the next of KEYS keys, as NamedOps rotates over its files. */
function keyed(call: (key: string) => Promise<unknown>): () => Promise<unknown> {
  const keys = Array.from({ length: KEYS }, (_, i) => `bench/f${i}`);
  let next = 0;
  return () => {
    const key = keys[next] ?? "";
    next = next + 1 === KEYS ? 0 : next + 1;
    return call(key);
  };
}

async function checked(kv: EtcdKv): Promise<EtcdKv> {
  await kv.put("bench/check", VALUE);
  const got = await kv.get("bench/check");
  if (got === null || !got.equals(VALUE)) throw new Error("etcd get returned another value");
  return kv;
}

/** Without etcd, the putFile rows still run, alone, and say why they have no baseline. */
async function skipped(ctx: SuiteContext, ops: NamedOps): Promise<void> {
  const why = `etcd baseline skipped: no etcd binary (${ETCD_INSTALL_HINT}, or set ETCD_BIN)`;
  ctx.log(why);
  await ctx.measure({
    name: "named-putfile-seq",
    unit: "ops/s",
    timeEachOp: true,
    run: ops.putFile,
    note: why,
  });
  await ctx.measure({
    name: "named-putfile-64",
    unit: "ops/s",
    ...windowed(ops.putFile),
    note: why,
  });
}
