/**
 * Child process: named and one procd registered in it (kernel `bench`, a warm pool of 2), so that
 * the runner measures spawns across processes as a real parent would. Announces named's port.
 */
import { fileURLToPath } from "node:url";
import { startNamed } from "../../../servers/named/index.js";
import { startProcd } from "../../../servers/procd/index.js";
import { exitWithRunner } from "../../lib/child-exit.js";
import { announceReady } from "../../lib/ready.js";
import { POOL } from "./pool.js";

exitWithRunner();
const named = await startNamed({ host: "127.0.0.1", port: 0 });
const procd = await startProcd({
  named: named.addr,
  kernel: "bench",
  warmPool: POOL,
  binDir: fileURLToPath(new URL("./procs", import.meta.url)),
  // Root must name whom procs run as; nobody, as the proc tests do.
  procUser: process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined,
});
// exitWithRunner's process.exit skips the procs' cleanup; stop them first.
process.once("SIGTERM", () => void procd.close().finally(() => process.exit(0)));
announceReady(Number(named.addr.slice(named.addr.lastIndexOf(":") + 1)));
