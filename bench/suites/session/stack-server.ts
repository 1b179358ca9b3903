/**
 * Child process: the whole server side of the stack, as a sigmap server is built: netsrv,
 * sesssrv, the generated dispatcher and handlers (here the null ones). The port announced is a
 * control channel's, which tells the server's port (`port`) and this process's CPU time (`cpu`).
 */
import { dispatchSigmap } from "../../../generated/sigmap/server.js";
import { startSessionServer } from "../../../runtime/session/server/session-server.js";
import type { Dispatch } from "../../../runtime/session/server/server-types.js";
import { exitWithRunner } from "../../lib/child-exit.js";
import { serveControl } from "../../lib/control-server.js";
import { cpuMicros } from "../../lib/cpu-usage.js";
import { announceReady } from "../../lib/ready.js";
import { NullHandlers } from "./null-handlers.js";

exitWithRunner();
const handlers = new NullHandlers();
const dispatch: Dispatch = (type, body, data, ctx) =>
  dispatchSigmap(handlers, type, body, data, ctx);
const server = await startSessionServer({ dispatch, host: "127.0.0.1", port: 0 });
announceReady(
  await serveControl({ port: () => String(portOf(server.addr)), cpu: () => cpuMicros() }),
);

function portOf(addr: string): number {
  const port = Number(addr.slice(addr.lastIndexOf(":") + 1));
  if (!Number.isInteger(port) || port <= 0) throw new Error(`stack-server: bad address ${addr}`);
  return port;
}
