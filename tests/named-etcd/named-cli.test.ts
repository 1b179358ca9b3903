/** `sigma named --etcd`: bad options are refused before anything starts, saying what is wrong. */
import { describe, expect, it } from "vitest";
import { sigmaIn } from "../cli/run-cli.js";

describe("sigma named --etcd options", () => {
  it("a malformed endpoint list is refused with exit 64", async () => {
    const r = await sigmaIn(["named", "--etcd", "127.0.0.1"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toBe(`sigma: --etcd: bad etcd endpoint "127.0.0.1": expected host:port\n`);
  });

  it("an empty endpoint list is refused", async () => {
    const r = await sigmaIn(["named", "--etcd", ","]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^sigma: --etcd: no etcd endpoint given/);
  });

  it("a lease under a second is refused", async () => {
    const r = await sigmaIn(["named", "--etcd", "127.0.0.1:2379", "--lease-ms", "500"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toBe("sigma: --lease-ms 500: a whole number of ms, at least 1000\n");
  });
});
