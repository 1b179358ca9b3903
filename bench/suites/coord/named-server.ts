/**
 * Child process: named with the session timeout given as the first argument (ms), so that the
 * hand-over cases measure a server whose timeout the runner knows. Announces named's own port.
 */
import { startNamed } from "../../../servers/named/index.js";
import { exitWithRunner } from "../../lib/child-exit.js";
import { announceReady } from "../../lib/ready.js";

exitWithRunner();
const sessionTimeoutMs = Number(process.argv[2]);
if (!(sessionTimeoutMs > 0))
  throw new Error(`named-server: bad session timeout ${process.argv[2]}`);
const named = await startNamed({ host: "127.0.0.1", port: 0, sessionTimeoutMs });
announceReady(Number(named.addr.slice(named.addr.lastIndexOf(":") + 1)));
