/**
 * named replicas on etcd for the suite, each in its own child process on a fixed port, and a
 * client that keeps trying until one of them leads.
 */
import { FsLib } from "../../../runtime/client/fslib/fslib.js";
import { startChild, type RunningChild } from "../../lib/child.js";
import type { SuiteContext } from "../../lib/suite.js";
import { freePort } from "../../../devtools/etcd.js";

export const LEASE_MS = 1000;
/** A failover takes about LEASE_MS; past this something is broken. */
const LEADER_WAIT_MS = 30_000;

export class BenchReplicas {
  readonly children: (RunningChild | undefined)[] = [];
  readonly #killed: RunningChild[] = [];
  readonly ports: number[] = [];

  constructor(
    private readonly ctx: SuiteContext,
    private readonly endpoints: string[],
  ) {}

  get addrs(): string[] {
    return this.ports.map((p) => `127.0.0.1:${p}`);
  }

  async start(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      this.ports.push(await freePort());
      await this.spawn(i);
    }
  }

  async spawn(i: number): Promise<void> {
    const child = await startChild({
      module: new URL("./replica.ts", import.meta.url),
      args: [this.endpoints.join(","), String(this.ports[i]), String(LEASE_MS)],
    });
    this.ctx.defer(() => child.stop());
    this.children[i] = child;
  }

  /** SIGKILLs replica i. */
  kill(i: number): void {
    const c = this.children[i];
    if (c !== undefined) {
      process.kill(c.pid, "SIGKILL");
      this.#killed.push(c);
    }
    this.children[i] = undefined;
  }

  /** A client on the leader (only the leader listens), once there is one; and its index. */
  async connect(uname: string): Promise<{ fsl: FsLib; leader: number }> {
    const deadline = performance.now() + LEADER_WAIT_MS;
    for (;;) {
      if (performance.now() > deadline) {
        const tails = [
          ...this.children.map((c, i) => `replica ${i}: ${c?.output() ?? "(killed)"}`),
          ...this.#killed.map((c) => `killed replica ${c.pid}: ${c.output()}`),
        ];
        throw new Error(`no named replica leads after ${LEADER_WAIT_MS} ms\n${tails.join("\n")}`);
      }
      for (let i = 0; i < this.ports.length; i++) {
        if (this.children[i] === undefined) continue;
        try {
          return { fsl: await FsLib.connect({ named: this.addrs[i]!, uname }), leader: i };
        } catch {
          continue;
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
