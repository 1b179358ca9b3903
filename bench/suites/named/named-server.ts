/**
 * Child process: named (servers/named) in a process of its own, plus a control channel through
 * which the runner learns named's address and asks for this process's memory use. The control
 * port is the one announced as ready. Run with --expose-gc, so that memory is measured after a
 * full collection rather than with whatever garbage the last requests left.
 */
import { startNamed } from "../../../servers/named/index.js";
import { exitWithRunner } from "../../lib/child-exit.js";
import { serveControl } from "../../lib/control-server.js";
import { cpuMicros } from "../../lib/cpu-usage.js";
import { announceReady } from "../../lib/ready.js";
import { memoryAfterGc } from "./memory-report.js";

exitWithRunner();
const named = await startNamed({ host: "127.0.0.1", port: 0 });
const controlPort = await serveControl({
  addr: () => named.addr,
  memory: () => JSON.stringify(memoryAfterGc()),
  cpu: () => cpuMicros(),
});
announceReady(controlPort);
