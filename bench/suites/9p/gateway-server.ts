/**
 * Child process: the 9P gateway in front of the named whose address is the first argument.
 * Announces the gateway's port.
 */
import { startGateway } from "../../../servers/9p/index.js";
import { exitWithRunner } from "../../lib/child-exit.js";
import { announceReady } from "../../lib/ready.js";

exitWithRunner();
const named = process.argv[2];
if (named === undefined) throw new Error("gateway-server: no named address");
const gw = await startGateway({ named, host: "127.0.0.1", port: 0 });
announceReady(Number(gw.addr.slice(gw.addr.lastIndexOf(":") + 1)));
