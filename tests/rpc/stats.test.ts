import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNTER_NAMES } from "../../runtime/protsrv/index.js";
import { bytes, echoClient, startWorld, type World } from "./fixture.js";
import { forEachStore } from "../support/store-matrix.js";

let w: World;
forEachStore((store) => {
  beforeAll(async () => {
    w = await startWorld(store);
  });
  afterAll(() => w.close());

  describe("stats", () => {
    it("counts every call of a method exactly, failures included, unknown methods not", async () => {
      const a = await echoClient(w, 2);
      const b = await echoClient(w);
      const req = { text: "s", payload: bytes("x") };
      await Promise.all(Array.from({ length: 17 }, () => a.echo.echo(req)));
      for (let i = 0; i < 5; i++) await b.echo.echo(req);
      await b.echo.echo({ text: "crash", payload: bytes("") }).catch(() => undefined);
      await b.rpc.call("Echo.Nope", []).catch(() => undefined);

      const file = await a.rpc.statsSrv();
      expect(Object.keys(file.RpcStat)).toEqual(["Echo.Echo"]);
      const s = file.RpcStat["Echo.Echo"]!;
      expect(s.N).toBe(23);
      expect(s.Max).toBeGreaterThanOrEqual(0);
      expect(s.Tot).toBeGreaterThanOrEqual(s.Max);
      expect(s.Avg).toBeCloseTo(s.Tot / s.N / 1000, 2);
      expect(Object.keys(file.SigmapStat)).toEqual([...COUNTER_NAMES, "Qlen", "AvgQlen", "Util"]);
      expect(file.SigmapStat.Nrpc).toBe(24);
      expect(w.server.stats().RpcStat["Echo.Echo"]?.N).toBe(23);
    });

    it("the client keeps its own numbers per method", async () => {
      const { echo, rpc } = await echoClient(w);
      for (let i = 0; i < 4; i++) await echo.echo({ text: "c", payload: bytes("") });
      expect(rpc.stats()["Echo.Echo"]?.N).toBe(4);
    });
  });
});
