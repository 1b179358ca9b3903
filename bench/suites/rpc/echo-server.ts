/**
 * Child process: named and the Echo RPC server registered in it at `name/echo`, as a deployment
 * has them. The port announced is a control channel's, which tells named's port (`port`; the
 * runner reaches the service by path) and this process's CPU time (`cpu`).
 */
import { echoService } from "../../../generated/services/echo/rpc-server.js";
import { FsLib } from "../../../runtime/client/fslib/fslib.js";
import { startRpcServer } from "../../../runtime/rpc/index.js";
import { Echo } from "../../../servers/echo/index.js";
import { startNamed } from "../../../servers/named/index.js";
import { exitWithRunner } from "../../lib/child-exit.js";
import { serveControl } from "../../lib/control-server.js";
import { cpuMicros } from "../../lib/cpu-usage.js";
import { announceReady } from "../../lib/ready.js";

exitWithRunner();
const named = await startNamed();
const fsl = await FsLib.connect({ named: named.addr, uname: "bench", localIp: "127.0.0.1" });
await startRpcServer({
  service: echoService(new Echo()),
  host: "127.0.0.1",
  port: 0,
  path: "name/echo",
  fsl,
});
const namedPort = named.addr.slice(named.addr.lastIndexOf(":") + 1);
announceReady(await serveControl({ port: () => namedPort, cpu: () => cpuMicros() }));
