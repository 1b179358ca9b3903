import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoClient, startWorld, type World } from "./fixture.js";
import { forEachStore } from "../support/store-matrix.js";

let w: World;
forEachStore((store) => {
  beforeAll(async () => {
    w = await startWorld(store);
  });
  afterAll(() => w.close());

  describe("typed calls", () => {
    it("round-trip a request through the generated client and handlers", async () => {
      const { echo } = await echoClient(w);
      const payload = new Uint8Array(64).map((_, i) => i);
      const rep = await echo.echo({ text: "héllo", payload });
      expect(rep.text).toBe("héllo");
      expect([...rep.payload]).toEqual([...payload]);
    });

    it("carry empty and large payloads", async () => {
      const { echo } = await echoClient(w);
      expect((await echo.echo({ text: "", payload: new Uint8Array(0) })).payload.length).toBe(0);
      const big = new Uint8Array(1 << 20).fill(7);
      expect((await echo.echo({ text: "big", payload: big })).payload.length).toBe(1 << 20);
    });
  });
});
