/**
 * 9p suite: the 9P2000.L gateway against Debian's diod, same run. diodload (diod's own load
 * generator, 16 connections) getattrs and reads through the gateway and through diod, in
 * alternating runs (ABBA); targets: both ratios ≥ 0.5. Then the hop to named that diodload cannot
 * see (it only uses the synthetic `ctl` tree): the project's 9P client on a file in named through
 * the gateway vs a file in diod's exported directory. named and the gateway run in child
 * processes, diod is the system's.
 */
import { startChild } from "../lib/child.js";
import type { Suite, SuiteContext } from "../lib/suite.js";
import { ratioAtLeast } from "../lib/target.js";
import { percentile } from "../lib/percentile.js";
import { clientCases } from "./9p/client-cases.js";
import { startDiod } from "./9p/diod-server.js";
import { diodload, type DiodloadResult } from "./9p/diodload.js";

const THREADS = 16;

export const suite: Suite = {
  name: "9p",
  description:
    "diodload getattr and read through the 9P gateway vs Debian's diod; the hop to named",
  run: async (ctx) => {
    const named = await startChild({
      module: new URL("./coord/named-server.ts", import.meta.url),
      args: ["1000"],
    });
    ctx.defer(() => named.stop());
    const namedAddr = `127.0.0.1:${named.port}`;
    const gw = await startChild({
      module: new URL("./9p/gateway-server.ts", import.meta.url),
      args: [namedAddr],
    });
    ctx.defer(() => gw.stop());
    const gatewayAddr = `127.0.0.1:${gw.port}`;
    const diod = await startDiod();
    ctx.defer(() => diod.stop());

    await diodloadCases(ctx, gatewayAddr, diod.addr);
    await clientCases(ctx, gatewayAddr, namedAddr, diod.addr, diod.dir);
  },
};

async function diodloadCases(ctx: SuiteContext, gateway: string, diod: string): Promise<void> {
  // diodload runs whole seconds; rounds alternate ABBA as the runner's own loop does.
  const seconds = ctx.smoke ? 1 : 2;
  const pairs = ctx.smoke ? 1 : 2;
  for (const getattr of [true, false]) {
    const mine: DiodloadResult[] = [];
    const base: DiodloadResult[] = [];
    for (let i = 0; i < pairs; i++) {
      ctx.log(`9p: diodload ${getattr ? "getattr" : "read/write"}, round ${i + 1} of ${pairs}`);
      base.push(await diodload(diod, { getattr, seconds, threads: THREADS }));
      mine.push(await diodload(gateway, { getattr, seconds, threads: THREADS }));
      mine.push(await diodload(gateway, { getattr, seconds, threads: THREADS }));
      base.push(await diodload(diod, { getattr, seconds, threads: THREADS }));
    }
    const median = (rs: DiodloadResult[], f: (r: DiodloadResult) => number): number =>
      percentile(rs.map(f), 50);
    const pick = getattr ? (r: DiodloadResult) => r.opsPerSec : (r: DiodloadResult) => r.readMBps;
    ctx.record({
      name: getattr ? "9p-diodload-getattr" : "9p-diodload-read",
      value: median(mine, pick),
      unit: getattr ? "ops/s" : "MB/s",
      baseline: {
        name: getattr ? "diod-diodload-getattr" : "diod-diodload-read",
        value: median(base, pick),
      },
      target: ratioAtLeast(0.5),
      note: getattr
        ? `diodload -g: ${THREADS} connections getattr ctl:null; median of ${mine.length} runs of ${seconds} s`
        : `diodload: ${THREADS} connections read msize (64 KiB) of ctl:zero and write it to ctl:null; read MB/s, median of ${mine.length} runs of ${seconds} s`,
    });
  }
}
