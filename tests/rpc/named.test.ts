import { afterEach, describe, expect, it } from "vitest";
import { EchoClient } from "../../generated/services/echo/rpc-client.js";
import { echoService } from "../../generated/services/echo/rpc-server.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { RpcClient, startRpcServer, type RpcServer } from "../../runtime/rpc/index.js";
import type { Named } from "../../servers/named/index.js";
import { bytes, connect, TestEcho } from "./fixture.js";
import { forEachStore } from "../support/store-matrix.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function serve(named: Named, path: string): Promise<{ server: RpcServer; fsl: FsLib }> {
  const fsl = await connect(named.addr);
  const server = await startRpcServer({
    service: echoService(new TestEcho()),
    host: "127.0.0.1",
    port: 0,
    path,
    fsl,
  });
  cleanups.push(
    () => fsl.close(),
    () => server.close(),
  );
  return { server, fsl };
}

async function callOnce(fsl: FsLib, path: string, text: string): Promise<string> {
  const rpc = await RpcClient.connect(fsl, path);
  try {
    return (await new EchoClient(rpc).echo({ text, payload: bytes("") })).text;
  } finally {
    await rpc.close();
  }
}

forEachStore((store) => {
  describe("registration in named", () => {
    it("a registered service is found by its path", async () => {
      const named = await store.startNamed();
      cleanups.push(() => named.close());
      const { server } = await serve(named, "name/echo");
      const client = await connect(named.addr);
      cleanups.push(() => client.close());
      expect(await callOnce(client, "name/echo", "found")).toBe("found");
      const mount = await client.readMount("name/echo");
      expect(mount.addr[0]?.addr).toBe(server.addr);
    });

    it("after its server restarts at a new address, it is found again", async () => {
      const named = await store.startNamed();
      cleanups.push(() => named.close());
      const first = await serve(named, "name/echo");
      const client = await connect(named.addr);
      cleanups.push(() => client.close());
      expect(await callOnce(client, "name/echo", "one")).toBe("one");

      await first.server.close();
      await first.fsl.close();
      const second = await serve(named, "name/echo");
      expect(second.server.addr).not.toBe(first.server.addr);
      expect(await callOnce(client, "name/echo", "two")).toBe("two");
    });

    it("a union entry is named by the address and reached through ~any", async () => {
      const named = await store.startNamed();
      cleanups.push(() => named.close());
      const client = await connect(named.addr);
      cleanups.push(() => client.close());
      await client.mkDir("name/echos");
      const { server } = await serve(named, "name/echos/");
      expect((await client.getDir("name/echos")).map((s) => s.name)).toEqual([server.addr]);
      expect(await callOnce(client, "name/echos/~any", "union")).toBe("union");
    });

    it("closing the server removes its entry", async () => {
      const named = await store.startNamed();
      cleanups.push(() => named.close());
      const { server, fsl } = await serve(named, "name/echo");
      expect((await fsl.getDir("name/")).map((s) => s.name)).toContain("echo");
      await server.close();
      expect((await fsl.getDir("name/")).map((s) => s.name)).not.toContain("echo");
    });
  });
});
