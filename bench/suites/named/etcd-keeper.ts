/**
 * Child process: runs one etcd server (argv[2] is the binary) on free loopback ports with a
 * fresh data directory, announces its client port once that port accepts connections, and on
 * every way out kills etcd and removes the directory. etcd does not notice its parent dying; this
 * keeper does (exitWithRunner), so even a runner killed by SIGKILL leaves no etcd behind, and a
 * keeper killed by SIGKILL takes etcd with it (tied-spawn.ts) and leaves a directory that the next
 * keeper removes (data-dir.ts).
 */
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { exitWithRunner } from "../../lib/child-exit.js";
import { announceReady } from "../../lib/ready.js";
import { makeDataDir, removeDataDir } from "./data-dir.js";
import { freePorts } from "./free-port.js";
import { spawnTied } from "./tied-spawn.js";

const PORT_POLL_MS = 5;
const START_TIMEOUT_MS = 10_000;

const bin = process.argv[2];
if (bin === undefined) throw new Error("etcd-keeper: the etcd binary's path expected");

exitWithRunner();
// Ctrl-C reaches the whole process group; leave through process.exit so the hook below runs.
process.once("SIGINT", () => process.exit(130));

const [clientPort, peerPort] = await freePorts(2);
if (clientPort === undefined || peerPort === undefined) throw new Error("no free ports");
const dataDir = makeDataDir();
const clientUrl = `http://127.0.0.1:${clientPort}`;
const peerUrl = `http://127.0.0.1:${peerPort}`;
const etcd = spawnTied(
  bin,
  [
    "--name=bench",
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${clientUrl}`,
    `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=bench=${peerUrl}`,
    "--logger=zap",
    "--log-level=error",
  ],
  // Errors go to our stderr, which the runner keeps for its failure message.
  { stdio: ["ignore", "ignore", "inherit"] },
);
// Registered in the same turn as the directory and the spawn: no exit can come in between.
process.once("exit", () => {
  // SIGKILL cannot be delayed by etcd; the removal retries while it dies.
  etcd.kill("SIGKILL");
  removeDataDir(dataDir);
});
etcd.once("error", (e) => {
  console.error(`etcd-keeper: cannot run ${bin}: ${e.message}`);
  process.exit(1);
});
etcd.once("exit", (code, signal) => {
  console.error(`etcd-keeper: etcd exited (${signal ?? `code ${code}`})`);
  process.exit(1);
});

await waitForPort(clientPort, START_TIMEOUT_MS);
announceReady(clientPort);

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (Date.now() > deadline) {
      console.error(`etcd-keeper: port ${port} not listening after ${timeoutMs} ms`);
      process.exit(1);
    }
    await sleep(PORT_POLL_MS);
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
