/**
 * A stall of the client's own event loop (a long GC, a busy machine) longer than the silence
 * deadline is not blamed on the server when the server's answer already waits in the socket:
 * the client decides about silence only after reading what arrived (docs/session.md, Liveness).
 * named runs in a child process, so it answers the keepalive while the client's loop is blocked.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MsgType } from "../../generated/sigmap/types.js";
import { SessionClient } from "../../runtime/session/client/session-client.js";
import { isType, tap } from "./client-harness.js";

let child: ChildProcess;
let addr: string;

beforeAll(async () => {
  const script = fileURLToPath(new URL("./named-child.ts", import.meta.url));
  child = spawn(process.execPath, ["--import", "tsx", script, "5000"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  addr = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`named exited (${code})`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /ADDR (\S+)\n/.exec(out);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
  });
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }
});

function blockEventLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Busy on purpose: this is the stall under test.
  }
}

describe("session client silence deadline", () => {
  it("keeps its connection across a local stall when the server's answer is already there", async () => {
    const t = tap();
    const session = await SessionClient.open({
      addrs: [addr],
      dial: t.dial,
      // A deadline a loaded machine's scheduling does not reach by itself (100 ms did, in CI).
      keepaliveMs: 50,
      silenceDeadlineMs: 300,
    });
    try {
      await t.sent.next(isType(MsgType.Theartbeat));
      const answered = t.received.all.filter(isType(MsgType.Rheartbeat)).length;
      // Five times the deadline: named (another process) has long answered when the loop resumes.
      // Stalled in the check phase, so the next loop iteration runs its timers before its poll.
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          blockEventLoop(1500);
          resolve();
        }),
      );
      await t.received.next(
        () => t.received.all.filter(isType(MsgType.Rheartbeat)).length >= answered + 3,
      );
      expect(t.connections.all).toEqual([{ addr, resume: false }]);
      expect(session.state).toBe("connected");
    } finally {
      session.disconnect();
    }
  });
});
