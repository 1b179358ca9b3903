import { afterEach, describe, expect, it } from "vitest";
import { ControlClient } from "../../bench/lib/control-client.js";
import { serveControl } from "../../bench/lib/control-server.js";
import { memoryAfterGc, memoryUse } from "../../bench/suites/named/memory-report.js";
import { ratioOf } from "../../bench/lib/units.js";

describe("control channel", () => {
  let client: ControlClient | undefined;
  afterEach(() => client?.close());

  it("answers commands in the order asked, slow ones included", async () => {
    const port = await serveControl({
      slow: () => new Promise((resolve) => setTimeout(() => resolve("first"), 20)),
      fast: () => "second",
    });
    client = await ControlClient.connect(port);
    expect(await Promise.all([client.ask("slow"), client.ask("fast")])).toEqual([
      "first",
      "second",
    ]);
  });

  it("rejects unknown commands and failing handlers with their message", async () => {
    const port = await serveControl({
      boom: () => {
        throw new Error("no\nluck");
      },
    });
    client = await ControlClient.connect(port);
    await expect(client.ask("nope")).rejects.toThrow(/unknown command "nope"/);
    await expect(client.ask("boom")).rejects.toThrow(/control: no luck/);
  });

  it("carries a memory report", async () => {
    const port = await serveControl({ memory: () => JSON.stringify(memoryAfterGc()) });
    client = await ControlClient.connect(port);
    const m = await memoryUse(client);
    expect(m.rss).toBeGreaterThan(m.heapUsed);
    expect(m.heapUsed).toBeGreaterThan(0);
  });
});

describe("MiB rows", () => {
  it("count less memory as better", () => {
    expect(ratioOf("MiB", 50, 100)).toBe(2);
  });
});
