import { afterEach, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { RpcClient } from "../../runtime/rpc/index.js";
import { connect, echoClient, SERVICE_PATH, startWorld, type World } from "./fixture.js";
import { forEachStore } from "../support/store-matrix.js";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function names(world: World): Promise<string[]> {
  const fsl = await connect(world.named.addr);
  try {
    return (await fsl.getDir(`${SERVICE_PATH}/`)).map((s) => s.name);
  } finally {
    await fsl.close();
  }
}

async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 25));
  }
}

forEachStore((store) => {
  describe("per-session directory", () => {
    it("clone-rpc makes <S>-rpc with ctl and data-rpc, and reads as S", async () => {
      w = await startWorld(store);
      const { rpc, fsls } = await echoClient(w);
      const dir = `${rpc.sessionDir}-rpc`;
      expect(await names(w)).toEqual(expect.arrayContaining(["clone-rpc", "stats", dir]));
      const inDir = (await fsls[0]!.getDir(`${SERVICE_PATH}/${dir}/`)).map((s) => s.name);
      expect(inDir).toEqual(["ctl", "data-rpc"]);
      const ctl = await fsls[0]!.getFile(`${SERVICE_PATH}/${dir}/ctl`);
      expect(new TextDecoder().decode(ctl)).toBe(rpc.sessionDir);
      const again = await fsls[0]!.getFile(`${SERVICE_PATH}/clone-rpc`);
      expect(new TextDecoder().decode(again)).toBe(rpc.sessionDir);
    });

    it("the directory is named by a random token, never by a session id", async () => {
      w = await startWorld(store);
      const a = await echoClient(w);
      const b = await echoClient(w);
      const ids = w.server.files.sessions.sessions().map((s) => s.id.toString(16));
      expect(ids.length).toBeGreaterThanOrEqual(2);
      const listed = await names(w);
      for (const rpc of [a.rpc, b.rpc]) {
        expect(rpc.sessionDir).toMatch(/^[0-9a-f]{32}$/);
        expect(listed).toContain(`${rpc.sessionDir}-rpc`);
      }
      expect(a.rpc.sessionDir).not.toBe(b.rpc.sessionDir);
      // No name in the listable root reveals a live session id.
      for (const name of listed) for (const id of ids) expect(name).not.toContain(id);
    });

    it("ctl refuses writes with NotSupported", async () => {
      w = await startWorld(store);
      const { rpc, fsls } = await echoClient(w);
      const path = `${SERVICE_PATH}/${rpc.sessionDir}-rpc/ctl`;
      const e: unknown = await fsls[0]!
        .setFile(path, new Uint8Array([1]), 0, 0)
        .catch((x: unknown) => x);
      expect(isErr(e, ErrCode.NotSupported)).toBe(true);
    });

    it("disappears when its session closes", async () => {
      w = await startWorld(store);
      const { rpc, fsls } = await echoClient(w);
      const dir = `${rpc.sessionDir}-rpc`;
      expect(await names(w)).toContain(dir);
      await fsls[0]!.close();
      await eventually(async () => !(await names(w!)).includes(dir));
    });

    it("disappears when its session times out", async () => {
      w = await startWorld(store, { sessionTimeoutMs: 300 });
      const fsl = await connect(w.named.addr, 300);
      w.fsls.push(fsl);
      const rpc = await RpcClient.connect(fsl, SERVICE_PATH);
      const dir = `${rpc.sessionDir}-rpc`;
      expect(await names(w)).toContain(dir);
      // A partition: the server hears nothing more from the session and times it out.
      await fsl.disconnect(`${SERVICE_PATH}/`);
      await eventually(async () => !(await names(w!)).includes(dir));
    });
  });
});
