import { connect } from "node:net";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { startChild } from "../../bench/lib/child.js";

const ECHO = new URL("./fixtures/echo-server.ts", import.meta.url);

function echoOnce(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(text));
    let got = "";
    socket.on("data", (chunk: Buffer) => {
      got += chunk.toString();
      if (got.length >= text.length) {
        socket.end();
        resolve(got);
      }
    });
    socket.on("error", reject);
  });
}

describe("startChild", () => {
  it("runs a TS server in another process, reports its port, and stops it", async () => {
    const child = await startChild({ module: ECHO });
    try {
      expect(child.pid).not.toBe(process.pid);
      expect(await echoOnce(child.port, "hello across processes")).toBe("hello across processes");
    } finally {
      await child.stop();
    }
    const refused = connect(child.port, "127.0.0.1");
    const [err] = (await once(refused, "error")) as [NodeJS.ErrnoException];
    expect(err.code).toBe("ECONNREFUSED");
    await child.stop(); // a second stop is harmless
  });

  it("rejects with the child's output when it exits before the ready line", async () => {
    await expect(startChild({ module: ECHO, args: ["crash"] })).rejects.toThrow(
      /exited before ready \(code 3\)[\s\S]*crashing on purpose/,
    );
  });

  it("rejects when no ready line comes in time", async () => {
    await expect(startChild({ module: ECHO, readyTimeoutMs: 1 })).rejects.toThrow(
      /no ready line within 1 ms/,
    );
  });
});
