/**
 * Child process: named (servers/named) in a process of its own, seeded with `fences` fence
 * entries (which clients could only make with thousands of sessions), and a control channel that
 * reports the worst event-loop stall of this process since the last report: what every other
 * client of named would have waited. Measured with perf_hooks.monitorEventLoopDelay.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startFileServer } from "../../../runtime/protsrv/file-server.js";
import { MemFs } from "../../../runtime/fs/index.js";
import { RootRealm, type Tfence } from "../../../generated/sigmap/types.js";
import { bootDirs } from "../../../servers/named/layout.js";
import { exitWithRunner } from "../../lib/child-exit.js";
import { serveControl } from "../../lib/control-server.js";
import { announceReady } from "../../lib/ready.js";

exitWithRunner();
const fences = Number(process.argv[2] ?? "0");
// named's own stack (servers/named/named.ts) with access to its protsrv, to seed fences.
const fs = new MemFs();
for (const dir of bootDirs(RootRealm)) await fs.mkdirAll(dir);
const server = await startFileServer({ root: fs.root, host: "127.0.0.1", port: 0 });
for (let i = 1; i <= fences; i++) {
  const f: Tfence = { fenceid: { path: BigInt(i), serverid: 0n }, epoch: 1n };
  (await server.protsrv.checkFence(f))();
}
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let cpuMark = process.cpuUsage();
const controlPort = await serveControl({
  /** CPU time (ms, user + system) this process used since the last `cpu`. */
  cpu: () => {
    const used = process.cpuUsage(cpuMark);
    cpuMark = process.cpuUsage();
    return String((used.user + used.system) / 1000);
  },
  addr: () => server.addr,
  /** The worst stall (ms) since the last `stall`, then starts over. */
  stall: () => {
    const worst = delay.max / 1e6;
    delay.reset();
    return String(worst);
  },
});
announceReady(controlPort);
