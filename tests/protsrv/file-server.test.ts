/** End to end: startFileServer + SessionClient + SigmapClient over a real socket. */
import { afterEach, describe, expect, it } from "vitest";
import { SigmapClient } from "../../generated/sigmap/client.js";
import { ErrCode, Mode, NoFid, NoV, Perm } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { startFileServer, type FileServer } from "../../runtime/protsrv/index.js";
import { SessionClient } from "../../runtime/session/index.js";
import { dec, enc, parseEntries } from "./fixture.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function connect(srv: FileServer): Promise<{ s: SessionClient; c: SigmapClient }> {
  const s = await SessionClient.open({ addrs: [srv.addr] });
  cleanups.push(() => s.close());
  return { s, c: new SigmapClient(s) };
}

describe("file server end to end", () => {
  it("create, write, read, list, stat, and ephemeral cleanup at detach", async () => {
    const srv = await startFileServer({ host: "127.0.0.1" });
    cleanups.push(() => srv.close());
    const { s, c } = await connect(srv);
    const cred = new Uint8Array();
    await c.attach({ fid: 0, afid: NoFid, uname: "e2e", aname: "", credentials: cred });
    await c.walk({ fid: 0, newFid: 1, wnames: [] });
    await c.create({ fid: 1, name: "f", perm: 0o644, mode: Mode.ORDWR });
    await c.writeV({ fid: 1, offset: 0n, version: NoV, data: enc("over the wire") });
    const r = await c.readV({ fid: 1, offset: 5n, count: 100, version: NoV });
    expect(dec(r.data)).toBe("the wire");
    await c.putfile({
      fid: 0,
      mode: Mode.OWRITE | Mode.OTRUNC,
      perm: Perm.DMTMP | 0o644,
      offset: 0n,
      wnames: ["tmp"],
      resolve: true,
      data: enc("ephemeral"),
    });
    await c.walk({ fid: 0, newFid: 2, wnames: [] });
    await c.open({ fid: 2, mode: Mode.OREAD });
    const list = await c.readV({ fid: 2, offset: 0n, count: 10_000, version: NoV });
    expect(parseEntries(list.data).map((st) => st.name)).toEqual([
      ".statsd",
      ".fences",
      "f",
      "tmp",
    ]);
    const st = await c.stat({ fid: 1 });
    expect(st.stat.name).toBe("f");
    await expect(
      c.getfile({
        fid: 0,
        mode: Mode.OREAD,
        offset: 0n,
        count: 10,
        wnames: ["nope"],
        resolve: true,
      }),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.Notfound));

    await s.close();
    const other = await connect(srv);
    await other.c.attach({ fid: 0, afid: NoFid, uname: "x", aname: "", credentials: cred });
    const names = await other.c.getfile({
      fid: 0,
      mode: Mode.OREAD,
      offset: 0n,
      count: 100,
      wnames: ["f"],
      resolve: true,
    });
    expect(dec(names.data)).toBe("over the wire");
    await expect(
      other.c.getfile({
        fid: 0,
        mode: Mode.OREAD,
        offset: 0n,
        count: 10,
        wnames: ["tmp"],
        resolve: true,
      }),
    ).rejects.toSatisfy((e) => isErr(e, ErrCode.Notfound));
  });
});
