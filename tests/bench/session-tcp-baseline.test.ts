import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChild, type RunningChild } from "../../bench/lib/child.js";
import { TcpPingPong } from "../../bench/suites/session/tcp-client.js";
import { TcpMode } from "../../bench/suites/session/tcp-mode.js";
import { CallWindow } from "../../bench/suites/session/window.js";

const SERVER = new URL("../../bench/suites/session/tcp-server.ts", import.meta.url);

describe("raw-TCP ping-pong baseline", () => {
  let server: RunningChild;
  beforeAll(async () => {
    server = await startChild({ module: SERVER, args: ["50"] });
  });
  afterAll(() => server.stop());

  for (const [name, mode] of Object.entries(TcpMode)) {
    it(`answers every frame with one reply frame (${name})`, async () => {
      const c = await TcpPingPong.connect({
        port: server.port,
        mode,
        requestBytes: 51,
        replyBytes: 50,
      });
      try {
        await c.call();
        const w = new CallWindow(() => c.call(), 64);
        for (let i = 0; i < 1000; i++) await w.op();
        await w.settle();
        expect(w.latency.values().length).toBe(1000);
      } finally {
        c.close();
      }
    });
  }

  it("fails calls when the reply size is not the expected one", async () => {
    const c = await TcpPingPong.connect({
      port: server.port,
      mode: TcpMode.perMessage,
      requestBytes: 51,
      replyBytes: 60,
    });
    try {
      await expect(c.call()).rejects.toThrow(/expected 56/);
    } finally {
      c.close();
    }
  });
});
