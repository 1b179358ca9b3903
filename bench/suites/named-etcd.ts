/**
 * named-etcd suite: named on etcd (one replica leading, one following, on a private one-member
 * etcd with short election timeouts) against raw etcd3 calls on the same etcd in the same run:
 * sequential putFile against a put of the same bytes (named adds its protocol and one fenced
 * transaction), sequential getFile against a linearizable get (named answers from its leader
 * cache), putFile 64 in flight against puts 64 in flight (group commit), and the failover time
 * from a SIGKILL of the leader to the first putFile through the next one; and the leader's
 * memory holding 100,000 files (informational).
 */
import { Etcd3 } from "etcd3";
import { Mode } from "../../generated/sigmap/types.js";
import { tmpdir } from "node:os";
import { percentile } from "../lib/percentile.js";
import type { Suite, SuiteContext } from "../lib/suite.js";
import { ratioAtLeast, valueBelow } from "../lib/target.js";
import { startEtcd } from "../../devtools/etcd.js";
import { findEtcd } from "./named/etcd-binary.js";
import { fsKind } from "./named/fs-kind.js";
import { FILE_BYTES, NamedOps } from "./named/named-ops.js";
import { DEPTH, windowed } from "./named/windowed.js";
import { BenchReplicas } from "./named-etcd/replicas.js";
import { rssCase } from "./named-etcd/rss.js";

const KEYS = 128;
const FAILOVERS = 5;

export const suite: Suite = {
  name: "named-etcd",
  description: "named on etcd vs raw etcd3 put/get on the same etcd; failover time",
  run: async (ctx) => {
    if (findEtcd() === null) {
      ctx.log("named-etcd skipped: no etcd binary (apt-get install etcd-server, or set ETCD_BIN)");
      return;
    }
    const etcd = await startEtcd(1);
    ctx.defer(() => etcd.stop());
    const raw = new Etcd3({ hosts: etcd.endpoints.map((e) => `http://${e}`) });
    ctx.defer(() => raw.close());
    const replicas = new BenchReplicas(ctx, etcd.endpoints);
    await replicas.start(2);
    const { fsl } = await replicas.connect("bench");
    ctx.defer(() => fsl.exit().catch(() => undefined));
    const ops = await NamedOps.setUp(fsl);
    const value = Buffer.alloc(FILE_BYTES, 0x5a);
    const put = keyed((k) => raw.put(k).value(value).exec());
    const get = keyed((k) => raw.get(k).buffer());
    await put();
    const wal = `WAL on ${fsKind(tmpdir())}`;

    await ctx.compare({
      name: "named-etcd-putfile-seq",
      unit: "ops/s",
      timeEachOp: true,
      run: ops.putFile,
      baseline: { name: "etcd-put-seq", run: put },
      target: ratioAtLeast(0.7),
      note: `putFile / put of ${FILE_BYTES} B, 1 in flight; both one etcd commit (${wal})`,
    });
    await ctx.compare({
      name: "named-etcd-getfile-seq",
      unit: "ops/s",
      timeEachOp: true,
      run: ops.getFile,
      baseline: { name: "etcd-get-seq", run: get },
      target: ratioAtLeast(5),
      note: `getFile from the leader's cache / linearizable get, 1 in flight`,
    });
    // named runs one request per session at a time (spec 3.6), so 64 in flight is 64 clients.
    const many = await Promise.all(
      Array.from({ length: DEPTH }, async () => (await replicas.connect("bench-64")).fsl),
    );
    ctx.defer(() => Promise.all(many.map((f) => f.exit().catch(() => undefined))));
    let turn = 0;
    const putMany = (): Promise<number> => {
      const j = turn++;
      return many[j % DEPTH]!.putFile(`name/tmp/bench/f${j % KEYS}`, 0o644, Mode.OWRITE, value);
    };
    await ctx.compare({
      name: "named-etcd-putfile-64",
      unit: "ops/s",
      ...windowed(putMany),
      baseline: { name: "etcd-put-64", ...windowed(put) },
      target: ratioAtLeast(2),
      note: `${DEPTH} clients, 1 in flight each / ${DEPTH} puts in flight on one etcd3 client; named groups independent mutations into one transaction`,
    });
    // Failover first, with the bench files only: a tree of 100,000 adds its load time (docs).
    await failover(ctx, replicas);
    const probe = await replicas.connect("bench-rss");
    await probe.fsl.exit();
    const fill = await Promise.all(
      Array.from({ length: DEPTH }, async () => (await replicas.connect("bench-rss")).fsl),
    );
    ctx.defer(() => Promise.all(fill.map((f) => f.exit())));
    await rssCase(ctx, fill, replicas.children[probe.leader]!.pid);
  },
};

/** SIGKILL of the leader → the first putFile that succeeds through the next leader; median. */
async function failover(ctx: SuiteContext, replicas: BenchReplicas): Promise<void> {
  const samples: number[] = [];
  const rounds = ctx.smoke ? 1 : FAILOVERS;
  for (let i = 0; i < rounds; i++) {
    const { fsl, leader } = await replicas.connect("bench-failover");
    await fsl.exit();
    const t0 = performance.now();
    replicas.kill(leader);
    const next = await replicas.connect("bench-failover");
    await next.fsl.putFile("name/tmp/failover", 0o644, 0, new Uint8Array(FILE_BYTES));
    samples.push(performance.now() - t0);
    await next.fsl.exit();
    await replicas.spawn(leader);
  }
  ctx.record({
    name: "named-failover-ms",
    value: percentile(samples, 50),
    unit: "ms",
    target: valueBelow(3000),
    note: `median of ${rounds}; election lease 1000 ms: the next leader waits for it to run out`,
  });
}

function keyed(call: (key: string) => Promise<unknown>): () => Promise<unknown> {
  const keys = Array.from({ length: KEYS }, (_, i) => `bench/f${i}`);
  let next = 0;
  return () => {
    const key = keys[next]!;
    next = (next + 1) % KEYS;
    return call(key);
  };
}
