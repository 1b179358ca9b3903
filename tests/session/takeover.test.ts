/**
 * Sessions cannot be taken over (docs/session.md, Session key): a session id travels in every
 * header and may be observed or guessed, so resuming a session takes the secret key its client
 * drew when it created it. An attacker with the victim's session id and client id but not its
 * key is refused with a message that names neither the owner's client id nor what was wrong, and
 * the victim's connection, session and pending work are untouched, even when the attacker sends
 * its hello and a Tdetach in one write.
 */
import { once } from "node:events";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { encodeTdetach } from "../../generated/sigmap/codec.js";
import { ErrCode, MsgType } from "../../generated/sigmap/types.js";
import { encodeMessage } from "../../runtime/net/index.js";
import { helloHeader, tversionMessage } from "../../runtime/net/hello.js";
import { encodeFrame } from "../../runtime/wire/frame-writer.js";
import { NO_DATA } from "../../runtime/contract/index.js";
import { startHarness, type Harness } from "./server-harness.js";
import { netTransport } from "./server-net-transport.js";
import type { TestConn } from "./server-test-conn.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.server.close();
  h = undefined;
});

async function victim(): Promise<{ h: Harness; v: TestConn }> {
  h = await startHarness(netTransport, { sessionTimeoutMs: 5000 });
  const v = await h.connect();
  expect((await v.writeV(1n, "a")).header.type).toBe(MsgType.Rwrite);
  return { h, v };
}

/** The victim is unharmed: same connection, same session, its log intact, nothing detached. */
async function unharmed(harness: Harness, v: TestConn): Promise<void> {
  expect((await v.writeV(2n, "b")).header.type).toBe(MsgType.Rwrite);
  expect(harness.handlers.logs.get(v.session)).toEqual(["a", "b"]);
  expect(harness.server.sessions().map((s) => s.id)).toContain(v.session);
  expect(harness.detached).toEqual([]);
}

const hex = (n: bigint): string => n.toString(16);

describe("a session cannot be taken over", () => {
  it("a resume with the right ids and no key is refused; the victim is unaffected", async () => {
    const { h, v } = await victim();
    const refusal: unknown = await h
      .connect({ client: v.client, session: v.session, resume: true, key: new Uint8Array(0) })
      .catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: ErrCode.Inval, obj: hex(v.session) });
    await unharmed(h, v);
  });

  it("a resume with the right ids and a wrong key is refused; the victim is unaffected", async () => {
    const { h, v } = await victim();
    const wrong = v.key.map((b, i) => (i === 0 ? b ^ 1 : b));
    const refusal: unknown = await h
      .connect({ client: v.client, session: v.session, resume: true, key: wrong })
      .catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: ErrCode.Inval });
    await unharmed(h, v);
  });

  it("the refusal names neither the owner's client id nor which part was wrong", async () => {
    const { h, v } = await victim();
    const byStranger: unknown = await h
      .connect({ client: v.client + 2n, session: v.session, resume: true, key: v.key })
      .catch((e: unknown) => e);
    const byKeyless: unknown = await h
      .connect({ client: v.client, session: v.session, resume: true, key: new Uint8Array(16) })
      .catch((e: unknown) => e);
    for (const e of [byStranger, byKeyless]) {
      expect(e).toMatchObject({ code: ErrCode.Inval });
      expect((e as Error).message).not.toContain(hex(v.client));
    }
    expect((byStranger as Error).message).toBe((byKeyless as Error).message);
    await unharmed(h, v);
  });

  it("a hello and a Tdetach in one write, with the right ids and no key, end nothing", async () => {
    const { h, v } = await victim();
    const hello = tversionMessage(1 << 20, v.client, v.session, true, new Uint8Array(16));
    const detach = {
      header: { ...helloHeader(MsgType.Tdetach, v.client, v.session), seqno: 1n },
      body: encodeTdetach({ propId: 0, leadId: 0 }),
      data: NO_DATA,
    };
    const [host, port] = h.server.addr.split(":");
    const sock = net.connect({ host: host!, port: Number(port) });
    await once(sock, "connect");
    const replies: Buffer[] = [];
    sock.on("data", (b: Buffer) => replies.push(b));
    sock.write(
      Buffer.concat([encodeFrame(encodeMessage(hello)), encodeFrame(encodeMessage(detach))]),
    );
    // The server answers the refused hello and closes the connection.
    await once(sock, "close");
    expect(Buffer.concat(replies).length).toBeGreaterThan(0);
    await unharmed(h, v);
  });

  it("the owner resumes with its key, as before", async () => {
    const { h, v } = await victim();
    const again = await h.connect({ client: v.client, session: v.session, resume: true });
    expect((await again.writeV(2n, "b")).header.type).toBe(MsgType.Rwrite);
    expect(h.handlers.logs.get(v.session)).toEqual(["a", "b"]);
  });

  it("a hello that creates a session without a key is refused", async () => {
    h = await startHarness(netTransport);
    const e: unknown = await h.connect({ key: new Uint8Array(0) }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: ErrCode.Inval });
    expect((e as Error).message).toMatch(/session key/);
    expect(h.server.sessions()).toEqual([]);
  });
});
