/**
 * Ephemeral files of a client that vanishes without detaching (a crash, a partition) are removed
 * once the server times its session out; watchers wake; the files of live sessions stay.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Perm } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { bytes, connect } from "./server-fixture.js";
import type { Named } from "../../servers/named/index.js";
import { forEachStore } from "../support/store-matrix.js";

const TIMEOUT_MS = 200;
const TMP = (0o777 | Perm.DMTMP) >>> 0;
let named: Named;
let observer: FsLib;

forEachStore((store) => {
  beforeAll(async () => {
    named = await store.startNamed({ sessionTimeoutMs: TIMEOUT_MS });
    observer = await connect(named.addr);
    await observer.mkDir("name/eph");
  });
  afterAll(async () => {
    await observer?.exit();
    await named?.close();
  });

  describe("ephemeral cleanup on session timeout", () => {
    it("a client that disappears loses its ephemeral files after the timeout, and watchers wake", async () => {
      const gone = await connect(named.addr);
      await gone.putFile("name/eph/lock", TMP, 0, bytes("held"));
      await observer.putFile("name/eph/mine", TMP, 0, bytes("still here"));
      const removed = await observer.setRemoveWatch("name/eph/lock");
      const t0 = performance.now();
      // Closes the session locally without telling the server, as a crash would.
      await gone.disconnect("name");
      await removed.fired;
      // The server waited for its timeout (one to two sweeps past it), not less.
      expect(performance.now() - t0).toBeGreaterThanOrEqual(TIMEOUT_MS);
      expect((await observer.getDir("name/eph")).map((s) => s.name)).toEqual(["mine"]);
    });
  });
});
