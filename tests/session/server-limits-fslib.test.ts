/**
 * The session server's limits seen by a correct client (issue 10): the client library acks
 * replies promptly, so 600 getFiles of 1 MiB never meet the reply-table byte budget, and a reply
 * that would exceed the frame limit (an error echoing a 9 MB name) comes back cut to fit, after
 * which the client keeps working instead of being wedged by a reply it can never receive.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";
import { isErr } from "../../runtime/errors/index.js";
import { startFileServer, type FileServer } from "../../runtime/protsrv/file-server.js";
import { connect } from "../client/server-fixture.js";

const MiB = 1024 * 1024;

describe("session limits under FsLib", () => {
  let srv: FileServer | null = null;
  let fsl: FsLib | null = null;
  afterEach(async () => {
    await fsl?.close();
    await srv?.close();
    fsl = null;
    srv = null;
  });

  it("600 getFiles of 1 MB stay far below a 4 MiB reply budget", async () => {
    srv = await startFileServer({ host: "127.0.0.1", port: 0, maxReplyBytesPerSession: 4 * MiB });
    fsl = await connect(srv.addr);
    const content = new Uint8Array(1_000_000).fill(7);
    await fsl.putFile("name/big", 0o644, 0, content);
    let peak = 0;
    for (let i = 0; i < 600; i++) {
      const got = await fsl.getFile("name/big");
      expect(got.length).toBe(1_000_000);
      peak = Math.max(peak, srv.sessions.stats().replyBytes);
    }
    expect(srv.sessions.stats().limitRefusals).toBe(0);
    // Each request acks the replies before it: at most the last two 1 MiB replies are held.
    expect(peak).toBeLessThan(3 * MiB);
  });

  it("answers stat of a 9 MB name with a Notfound that fits, and the client keeps working", async () => {
    srv = await startFileServer({ host: "127.0.0.1", port: 0 });
    fsl = await connect(srv.addr);
    await fsl.putFile("name/small", 0o644, 0, new Uint8Array([1, 2, 3]));
    const name = "n".repeat(9 * 1000 * 1000);
    const err = await fsl.stat(`name/${name}`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isErr(err, ErrCode.Notfound)).toBe(true);
    expect((err as Error).message.length).toBeLessThan(8192);
    expect((err as Error).message).toMatch(/more characters/);
    expect(Array.from(await fsl.getFile("name/small"))).toEqual([1, 2, 3]);
    expect(srv.sessions.stats().oversizeReplies).toBe(0);
  });
});
