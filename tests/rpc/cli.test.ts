/** `sigma rpc`, in-process through runSigma. */
import { sigmaIn, type CliResult } from "../cli/run-cli.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { startWorld, type World } from "./fixture.js";
import { forEachStore } from "../support/store-matrix.js";

let w: World;
forEachStore((store) => {
  beforeAll(async () => {
    w = await startWorld(store);
  });
  afterAll(() => w.close());

  function sigma(args: string[]): Promise<CliResult> {
    return sigmaIn([...args, "--named", w.named.addr]);
  }

  describe("sigma rpc", () => {
    it("calls a method with a JSON request and prints the reply as JSON", async () => {
      const payload = Buffer.from("hello bytes").toString("base64");
      const r = await sigma([
        "rpc",
        "name/echo",
        "Echo.Echo",
        `{"text":"hi","payload":"${payload}"}`,
      ]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ text: "hi", payload });
    });

    it("fills missing fields with zero values and takes bytes as an array of byte values", async () => {
      const r = await sigma(["rpc", "name/echo", "Echo", '{"payload":[1,2,3]}']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ text: "", payload: "AQID" });
    });

    it("reports a handler's error with its code and exit code 1", async () => {
      const r = await sigma([
        "rpc",
        "name/echo",
        "Echo.Echo",
        `{"text":"fail:${ErrCode.Notfound}"}`,
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe("sigma: name/echo: not found (handler failed)\n");
    });

    it("rejects unknown fields, bad JSON and unknown methods before calling", async () => {
      const typo = await sigma(["rpc", "name/echo", "Echo.Echo", '{"txt":"x"}']);
      expect(typo.stderr).toBe("sigma: request EchoRequest: EchoRequest has no field txt\n");
      const notJson = await sigma(["rpc", "name/echo", "Echo.Echo", "{"]);
      expect(notJson.stderr).toMatch(/^sigma: request is not JSON/);
      const nope = await sigma(["rpc", "name/echo", "Echo.Nope", "{}"]);
      expect(nope.stderr).toBe("sigma: no service method Echo.Nope in the schema\n");
      expect([typo.code, notJson.code, nope.code]).toEqual([1, 1, 1]);
    });
  });
});
