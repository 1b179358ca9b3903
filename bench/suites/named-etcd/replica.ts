/**
 * Child process: one named replica on etcd (args: etcd endpoints, port, lease ms). Announces its
 * port at once; it serves only once it leads, which the runner finds by connecting.
 */
import { startEtcdNamed } from "../../../servers/named/index.js";
import { exitWithRunner } from "../../lib/child-exit.js";
import { announceReady } from "../../lib/ready.js";

exitWithRunner();
const [endpoints, port, leaseMs] = process.argv.slice(2);
if (endpoints === undefined || port === undefined || leaseMs === undefined) {
  throw new Error("replica: usage: replica.ts ENDPOINTS PORT LEASE_MS");
}
startEtcdNamed({
  etcd: endpoints.split(","),
  host: "127.0.0.1",
  port: Number(port),
  realm: "rootrealm",
  leaseMs: Number(leaseMs),
  // Kept in the child's output tail, which the runner shows when no replica leads.
  onRole: (role, why) => process.stdout.write(`${role} (${why})\n`),
});
process.on("exit", (code) => process.stdout.write(`exit ${code}\n`));
announceReady(Number(port));
