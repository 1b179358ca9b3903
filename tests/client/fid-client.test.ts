import { describe, expect, it } from "vitest";
import {
  encodeRattach,
  encodeRclunk,
  encodeRopen,
  encodeRread,
  encodeRwalk,
  encodeRwrite,
} from "../../generated/sigmap/codec.js";
import { ErrCode, MsgType, NoV, type Tqid } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { FidClient } from "../../runtime/client/fid/fid-client.js";
import { SessionPool } from "../../runtime/client/fid/session-pool.js";
import type { RawReply } from "../../runtime/contract/index.js";
import { FakeSession, type Handler, rerror } from "./fake-session.js";

const qid: Tqid = { type: 0x80, version: 1, path: 1n };
const none = new Uint8Array(0);
const ok = (type: number, body: unknown): RawReply => ({ type, body, data: none });

function standard(): Handler {
  return (c) => {
    switch (c.type) {
      case MsgType.Tattach:
        return ok(MsgType.Rattach, encodeRattach({ qid }));
      case MsgType.Twalk:
        return ok(MsgType.Rwalk, encodeRwalk({ qids: (c.body[2] as string[]).map(() => qid) }));
      case MsgType.Tclunk:
        return ok(MsgType.Rclunk, encodeRclunk({}));
      case MsgType.Topen:
        return ok(MsgType.Ropen, encodeRopen({ qid, iounit: 0 }));
      case MsgType.TreadV:
        return ok(MsgType.Rread, encodeRread({ data: none }));
      case MsgType.TwriteV:
        return ok(MsgType.Rwrite, encodeRwrite({ count: 0 }));
      default:
        return rerror(ErrCode.NotSupported, String(c.type));
    }
  };
}

async function setup(handler: Handler = standard()) {
  const session = new FakeSession(handler);
  const ref: { fc?: FidClient } = {};
  const pool = new SessionPool(
    async () => session,
    {},
    (e) => ref.fc?.sessionClosed(e),
  );
  const fc = new FidClient(pool);
  ref.fc = fc;
  const root = await fc.attach(["fake:1"], "u", "", ["name"], {});
  return { session, fc, root };
}

describe("fidclnt", () => {
  it("stamps the fence of the longest prefix on fenced requests only", async () => {
    const { session, fc, root } = await setup();
    fc.fences.set(["name", "d"], {
      fenceid: { path: 9n, serverid: 0n },
      epoch: 3n,
    });
    const { fid } = await fc.walk(root, ["d", "f"], {});
    await fc.open(fid, 0, {});
    await fc.readV(fid, 0n, 10, NoV, {});
    await fc.writeV(fid, 0n, none, NoV, {});
    await fc.readV(fid, 0n, 10, NoV, {}, true);
    const fenceOf = (t: number) =>
      session.calls.filter((c) => c.type === t).map((c) => c.opts?.fence?.fenceid.path);
    expect(fenceOf(MsgType.Twalk)).toEqual([undefined]);
    expect(fenceOf(MsgType.Topen)).toEqual([undefined]);
    expect(fenceOf(MsgType.TwriteV)).toEqual([9n]);
    expect(fenceOf(MsgType.TreadV)).toEqual([9n, undefined]);
    expect(fc.state(fid).path).toEqual(["name", "d", "f"]);
  });

  it("a failed walk frees its new fid; a clunked fid is reused", async () => {
    const { fc, root, session } = await setup();
    const base = standard();
    session.handler = (c) =>
      c.type === MsgType.Twalk && (c.body[2] as string[])[0] === "missing"
        ? rerror(ErrCode.Notfound, "missing")
        : base(c);
    await expect(fc.walk(root, ["missing"], {})).rejects.toMatchObject({ code: ErrCode.Notfound });
    const { fid } = await fc.walk(root, ["x"], {});
    await fc.clunk(fid);
    const again = await fc.walk(root, ["y"], {});
    expect(again.fid).toBe(fid);
    expect(fc.fids.live().sort()).toEqual([root, fid].sort());
  });

  it("an abandoned walk is clunked when its late reply arrives, and only then reused", async () => {
    const { fc, root, session } = await setup();
    const base = standard();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    session.handler = async (c) => {
      if (c.type === MsgType.Twalk && (c.body[2] as string[])[0] === "slow") await gate;
      return base(c);
    };
    const err = await fc.walk(root, ["slow"], { deadline: Date.now() + 20 }).catch((e) => e);
    expect(isErr(err, ErrCode.Timeout)).toBe(true);
    const slowFid = session.calls.find((c) => c.type === MsgType.Twalk)?.body[1] as number;
    // Outstanding: a new walk must not get the abandoned fid.
    const other = await fc.walk(root, ["z"], {});
    expect(other.fid).not.toBe(slowFid);
    release();
    await new Promise((r) => setTimeout(r, 10));
    const clunks = session.calls.filter((c) => c.type === MsgType.Tclunk).map((c) => c.body[0]);
    expect(clunks).toContain(slowFid);
    const next = await fc.walk(root, ["w"], {});
    expect(next.fid).toBe(slowFid);
  });

  it("an aborted signal fails with Aborted before anything is sent", async () => {
    const { fc, root, session } = await setup();
    const ac = new AbortController();
    ac.abort(new Error("stop"));
    const n = session.calls.length;
    const err = await fc.walk(root, ["x"], { signal: ac.signal }).catch((e) => e);
    expect(isErr(err, ErrCode.Aborted)).toBe(true);
    expect(session.calls.length).toBe(n);
  });

  it("after the session closes its fids are released and calls fail with SessClosed", async () => {
    const { fc, root, session } = await setup();
    const { fid } = await fc.walk(root, ["x"], {});
    await session.close();
    await new Promise((r) => setTimeout(r, 0));
    expect(fc.fids.live()).toEqual([]);
    expect(() => fc.state(fid)).toThrow();
    const err = await fc.attach(["fake:1"], "u", "", [], {}).catch((e) => e);
    expect(isErr(err, ErrCode.SessClosed)).toBe(true);
  });
});
