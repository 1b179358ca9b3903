/**
 * An event-loop pause of named shorter than the session timeout closes no session
 * (docs/session.md, Liveness): named runs in a child process, which is stopped (SIGSTOP) for 50%
 * and 80% of the timeout and continued. The client notices the silence, redials (its hello waits
 * in the stopped server's accept queue) and resumes as soon as named runs again; afterwards its
 * ephemeral file is still there, its next call succeeds on the same session, and its session
 * never closed. A pause past the reconnect window closes everything: that is the model.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Perm } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import type { ClientSession } from "../../runtime/client/fid/session-port.js";
import { dial } from "../../runtime/net/netclnt.js";
import { SessionClient } from "../../runtime/session/client/session-client.js";
import { bytes, text } from "../client/server-fixture.js";

const TIMEOUT_MS = 1000;
const TMP = (0o777 | Perm.DMTMP) >>> 0;

let child: ChildProcess;
let addr: string;

beforeAll(async () => {
  const script = fileURLToPath(new URL("./named-child.ts", import.meta.url));
  child = spawn(process.execPath, ["--import", "tsx", script, String(TIMEOUT_MS)], {
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
    child.kill("SIGCONT");
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }
});

/** A client whose session layer the test can watch. */
async function client(): Promise<{ fsl: FsLib; sessions: SessionClient[]; resumes: number[] }> {
  const sessions: SessionClient[] = [];
  // When (performance.now()) each resuming hello was answered.
  const resumes: number[] = [];
  const fsl = await FsLib.connect({
    named: addr,
    localIp: "127.0.0.1",
    sessionTimeoutMs: TIMEOUT_MS,
    session: {
      dial: async (a, o) => {
        const conn = await dial(a, o);
        if (o.resume) resumes.push(performance.now());
        return conn;
      },
    },
    openSession: async (opts): Promise<ClientSession> => {
      const s = await SessionClient.open(opts);
      sessions.push(s);
      return s;
    },
  });
  return { fsl, sessions, resumes };
}

function pause(ms: number): Promise<void> {
  child.kill("SIGSTOP");
  return new Promise((resolve) =>
    setTimeout(() => {
      child.kill("SIGCONT");
      resolve();
    }, ms),
  );
}

describe("a pause of named shorter than the session timeout keeps every session", () => {
  for (const share of [0.5, 0.8]) {
    it(`a ${share * 100}% pause: ephemeral file kept, same session, next call succeeds`, async () => {
      const { fsl, sessions, resumes } = await client();
      const observer = await client();
      const name = `name/paused-${share * 100}`;
      try {
        await fsl.putFile(name, TMP, 0, bytes("held"));
        expect(sessions).toHaveLength(1);
        const session = sessions[0]!;
        let closed = false;
        void session.closed.then(() => (closed = true));
        const stopped = performance.now();
        await pause(share * TIMEOUT_MS);
        expect(text(await fsl.getFile(name))).toBe("held");
        expect(text(await observer.fsl.getFile(name))).toBe("held");
        // The same session carried on: no other was opened, and it never closed.
        expect(sessions).toEqual([session]);
        expect(session.state).toBe("connected");
        expect(closed).toBe(false);
        // Past the silence deadline (500 ms) the client redialled during the pause, and its
        // hello was answered once named ran again: well inside the window.
        if (share * TIMEOUT_MS > 500) {
          expect(resumes.length).toBeGreaterThanOrEqual(1);
          expect(resumes[0]!).toBeGreaterThanOrEqual(stopped + share * TIMEOUT_MS);
        }
      } finally {
        await fsl.close();
        await observer.fsl.close();
      }
    });
  }
});
