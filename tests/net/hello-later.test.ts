/**
 * A hello answered later (NetServerHooks.onHello returning a promise, as a journalled session
 * server does while it records a new session): the answer, accept or refusal, goes out when the
 * promise settles; a frame the peer sends before it is a protocol error; a close meanwhile reaches
 * onClose, and the late answer then sends nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { listen, type CloseReason, type NetServer } from "../../runtime/net/index.js";
import { dialEcho, message, RawPeer } from "./helpers.js";

const servers: NetServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server whose every hello waits for `answer`; `asked` resolves when one arrives. */
async function laterServer() {
  let settle!: (r: SigmaError | null) => void;
  const answer = new Promise<SigmaError | null>((r) => (settle = r));
  let asked!: () => void;
  const helloSeen = new Promise<void>((r) => (asked = r));
  const closes: CloseReason[] = [];
  let closed!: () => void;
  const closeSeen = new Promise<void>((r) => (closed = r));
  const server = await listen(
    {},
    {
      onHello() {
        asked();
        return answer;
      },
      onMessage: (conn, msg) => conn.send(msg),
      onClose(_conn, reason) {
        closes.push(reason);
        closed();
      },
    },
  );
  servers.push(server);
  return { server, settle, helloSeen, closes, closeSeen };
}

describe("a hello answered later", () => {
  it("is accepted when its promise resolves null, and then carries messages", async () => {
    const s = await laterServer();
    const dialling = dialEcho(s.server.addr);
    await s.helloSeen;
    s.settle(null);
    const { conn, inbox } = await dialling;
    conn.send(message(1, Uint8Array.from([9])));
    expect([...(await inbox.next()).data]).toEqual([9]);
    conn.close();
    await s.closeSeen;
    expect(s.closes).toEqual(["remote"]);
  });

  it("is refused with the error its promise resolves to", async () => {
    const s = await laterServer();
    const dialling = dialEcho(s.server.addr).then(
      () => undefined,
      (e: unknown) => e,
    );
    await s.helloSeen;
    s.settle(new SigmaError(ErrCode.Unreachable, "x", "unreachable: not recorded"));
    const e = await dialling;
    expect(e).toMatchObject({ code: ErrCode.Unreachable, message: "unreachable: not recorded" });
  });

  it("closes a connection that sends a frame before the answer (protocol), and answers nothing", async () => {
    const s = await laterServer();
    const peer = await RawPeer.connect(s.server.addr);
    peer.hello();
    await s.helloSeen;
    peer.send(message(1));
    await s.closeSeen;
    expect(s.closes).toEqual(["protocol"]);
    s.settle(null);
    await peer.ended;
    // Nothing but the close: no Rversion on a connection closed while its answer was awaited.
    expect(peer.frames.map((f) => f.length)).toEqual([]);
  });

  it("reports a close during the wait to onClose, and the late answer sends nothing", async () => {
    const s = await laterServer();
    const peer = await RawPeer.connect(s.server.addr);
    peer.hello();
    await s.helloSeen;
    peer.socket.destroy();
    await s.closeSeen;
    expect(s.closes).toEqual(["remote"]);
    s.settle(null);
    // The answer's turn: it finds the connection closed, and neither sends nor closes again.
    await new Promise((resolve) => setImmediate(resolve));
    expect(s.closes).toEqual(["remote"]);
  });
});
