import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { isRemoteError, type RemoteError } from "../../runtime/rpc/index.js";
import { bytes, echoClient, startWorld, type World } from "./fixture.js";
import { forEachStore } from "../support/store-matrix.js";

let w: World;
forEachStore((store) => {
  beforeAll(async () => {
    w = await startWorld(store);
  });
  afterAll(() => w.close());

  async function rejection(p: Promise<unknown>): Promise<RemoteError> {
    const e: unknown = await p.then(
      () => new Error("expected the call to fail"),
      (err: unknown) => err,
    );
    if (!isRemoteError(e)) throw e;
    return e;
  }

  const req = (text: string) => ({ text, payload: bytes("p") });

  describe("remote errors", () => {
    it("an unknown method is NotSupported, naming it, and the server keeps serving", async () => {
      const { echo, rpc } = await echoClient(w);
      const e = await rejection(rpc.call("Echo.Nope", [req("x").text, req("x").payload]));
      expect(isErr(e, ErrCode.NotSupported)).toBe(true);
      expect(e.obj).toBe("Echo.Nope");
      expect(e.message).toBe("unknown method: Echo.Nope");
      expect(e.method).toBe("Echo.Nope");
      expect((await echo.echo(req("still here"))).text).toBe("still here");
    });

    it("a handler's SigmaError arrives with its code, object and message", async () => {
      const { echo } = await echoClient(w);
      const e = await rejection(echo.echo(req(`fail:${ErrCode.Notfound}`)));
      expect(isErr(e, ErrCode.Notfound)).toBe(true);
      expect(e.obj).toBe("obj");
      expect(e.message).toBe("handler failed");
      expect((await echo.echo(req("after"))).text).toBe("after");
    });

    it("anything else a handler throws is Error with its text", async () => {
      const { echo } = await echoClient(w);
      const e = await rejection(echo.echo(req("crash")));
      expect(isErr(e, ErrCode.Error)).toBe(true);
      expect(e.message).toBe("handler crashed");
      const v = await rejection(echo.echo(req("crash-value")));
      expect(v.message).toBe("a string, not an Error");
      expect((await echo.echo(req("after"))).text).toBe("after");
    });

    it("a malformed request record is BadFcall", async () => {
      const { rpc } = await echoClient(w);
      const e = await rejection(rpc.call("Echo.Echo", ["text only"]));
      expect(isErr(e, ErrCode.BadFcall)).toBe(true);
    });

    it("a method is picked by the text after its last dot", async () => {
      const { rpc } = await echoClient(w);
      expect(await rpc.call("Echo", ["bare", bytes("")])).toEqual(["bare", bytes("")]);
      expect(await rpc.call("Other.Echo", ["other", bytes("")])).toEqual(["other", bytes("")]);
    });
  });

  describe("deadlines", () => {
    it("a timeout fails the call with Timeout, locally", async () => {
      const { echo } = await echoClient(w);
      const e: unknown = await echo.echo(req("sleep:300"), { timeoutMs: 30 }).catch((x) => x);
      expect(isErr(e, ErrCode.Timeout)).toBe(true);
      expect(isRemoteError(e)).toBe(false);
      expect((await echo.echo(req("next"))).text).toBe("next");
    });

    it("an abort fails the call with Aborted, the reason as cause", async () => {
      const { echo } = await echoClient(w);
      const ac = new AbortController();
      const p = echo.echo(req("sleep:300"), { signal: ac.signal });
      ac.abort("changed my mind");
      const e: unknown = await p.catch((x) => x);
      expect(isErr(e, ErrCode.Aborted)).toBe(true);
      expect((e as Error).cause).toBe("changed my mind");
    });

    it("a closed client rejects its calls with Closed", async () => {
      const { echo, rpc } = await echoClient(w);
      await rpc.close();
      const e: unknown = await echo.echo(req("x")).catch((x) => x);
      expect(isErr(e, ErrCode.Closed)).toBe(true);
    });
  });
});
