import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoClient, startWorld, type World } from "./fixture.js";
import { forEachStore } from "../support/store-matrix.js";

let w: World;
forEachStore((store) => {
  beforeAll(async () => {
    w = await startWorld(store);
  });
  afterAll(() => w.close());

  describe("many clients", () => {
    it("concurrent calls from many clients each get their own reply", async () => {
      const clients = await Promise.all(Array.from({ length: 8 }, () => echoClient(w, 2)));
      const calls = clients.flatMap((c, ci) =>
        Array.from({ length: 50 }, async (_, i) => {
          const payload = new Uint8Array(64).fill((ci * 50 + i) % 256);
          const rep = await c.echo.echo({ text: `${ci}/${i}`, payload });
          expect(rep.text).toBe(`${ci}/${i}`);
          expect(rep.payload).toEqual(payload);
        }),
      );
      await Promise.all(calls);
    });

    it("spreads one client's calls over its FsLibs round-robin", async () => {
      const { echo, rpc } = await echoClient(w, 3);
      w.handlers.bySession.clear();
      for (let i = 0; i < 9; i++) await echo.echo({ text: "rr", payload: new Uint8Array(0) });
      expect([...w.handlers.bySession.values()]).toEqual([3, 3, 3]);
      expect(rpc.stats()["Echo.Echo"]?.N).toBe(9);
    });
  });
});
