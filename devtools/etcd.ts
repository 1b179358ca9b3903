/**
 * Private etcd processes for tests, the chaos harness and benchmarks: one member or a loopback cluster, data in a
 * temp dir, ports picked free, short heartbeat and election timeouts so that leases of 1-2 s work
 * (etcd's minimum lease TTL follows its election timeout: 1.5 x election timeout, rounded up to a
 * second). Everything is removed by `stop()`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Etcd3 } from "etcd3";

/** The etcd binary: ETCD_BIN, else `etcd` on PATH. */
export const ETCD_BIN = process.env["ETCD_BIN"] ?? "etcd";

export interface EtcdMember {
  readonly name: string;
  /** `127.0.0.1:port` for clients. */
  readonly endpoint: string;
  readonly running: boolean;
  /** SIGKILL, waiting for the exit. */
  kill(): Promise<void>;
  /** Starts it again on the same data dir and ports. */
  restart(): Promise<void>;
  /** Sends `sig` (SIGSTOP, SIGCONT) if it runs. */
  signal(sig: NodeJS.Signals): void;
}

export interface EtcdCluster {
  readonly members: readonly EtcdMember[];
  /** Every member's client endpoint. */
  readonly endpoints: string[];
  /** The temp dir holding every member's data. */
  readonly dataDir: string;
  /** A client on every member, with etcd3's default retries (for checks, not for a store). */
  client(): Etcd3;
  /** Kills every member and removes the data. */
  stop(): Promise<void>;
}

/** A port free right now on 127.0.0.1 (etcd wants its ports given). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, "127.0.0.1");
  await once(srv, "listening");
  const addr = srv.address();
  srv.close();
  await once(srv, "close");
  if (addr === null || typeof addr === "string") throw new Error("no port");
  return addr.port;
}

/** Starts `size` members (1 or 3 typically) and resolves once the cluster answers a write. */
export async function startEtcd(size = 1): Promise<EtcdCluster> {
  const dir = mkdtempSync(join(tmpdir(), "etcd-"));
  const ports: { client: number; peer: number }[] = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), peer: await freePort() });
  const initial = ports.map((p, i) => `m${i}=http://127.0.0.1:${p.peer}`).join(",");
  const members = ports.map((p, i) => new Member(`m${i}`, p.client, p.peer, initial, dir));
  const clients: Etcd3[] = [];
  try {
    for (const m of members) m.spawn();
    await waitReady(members.map((m) => m.endpoint));
  } catch (e) {
    await Promise.all(members.map((m) => m.kill()));
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    members,
    endpoints: members.map((m) => m.endpoint),
    dataDir: dir,
    client() {
      const c = new Etcd3({ hosts: members.map((m) => `http://${m.endpoint}`) });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.close();
      await Promise.all(members.map((m) => m.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

class Member implements EtcdMember {
  readonly endpoint: string;
  #proc: ChildProcess | undefined;
  #stderr = "";
  #started = false;

  constructor(
    readonly name: string,
    readonly clientPort: number,
    readonly peerPort: number,
    readonly initial: string,
    readonly dir: string,
  ) {
    this.endpoint = `127.0.0.1:${clientPort}`;
  }

  get running(): boolean {
    return this.#proc !== undefined && this.#proc.exitCode === null && !this.#proc.killed;
  }

  spawn(): void {
    const client = `http://${this.endpoint}`;
    const peer = `http://127.0.0.1:${this.peerPort}`;
    const proc = spawn(
      ETCD_BIN,
      [
        "--name",
        this.name,
        "--data-dir",
        join(this.dir, this.name),
        "--listen-client-urls",
        client,
        "--advertise-client-urls",
        client,
        "--listen-peer-urls",
        peer,
        "--initial-advertise-peer-urls",
        peer,
        "--initial-cluster",
        this.initial,
        "--initial-cluster-state",
        this.#started ? "existing" : "new",
        "--heartbeat-interval",
        "50",
        "--election-timeout",
        "500",
        "--logger",
        "zap",
        "--log-level",
        "error",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    this.#started = true;
    proc.stderr?.on("data", (b: Buffer) => {
      this.#stderr = (this.#stderr + b.toString()).slice(-4000);
    });
    this.#proc = proc;
  }

  async kill(): Promise<void> {
    const p = this.#proc;
    if (p === undefined || p.exitCode !== null || p.signalCode !== null) return;
    const exited = once(p, "exit");
    p.kill("SIGKILL");
    await exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    this.spawn();
  }

  signal(sig: NodeJS.Signals): void {
    const p = this.#proc;
    if (p !== undefined && p.exitCode === null && p.signalCode === null) p.kill(sig);
  }

  get stderr(): string {
    return this.#stderr;
  }
}

/** Waits until a put through these endpoints succeeds (a leader is elected). */
async function waitReady(endpoints: string[]): Promise<void> {
  const c = new Etcd3({ hosts: endpoints.map((e) => `http://${e}`), dialTimeout: 1000 });
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await c.put("/ready").value("1");
        await c.delete().key("/ready");
        return;
      } catch (e) {
        if (Date.now() > deadline)
          throw new Error(`etcd did not start: ${String(e)}`, { cause: e });
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    c.close();
  }
}
