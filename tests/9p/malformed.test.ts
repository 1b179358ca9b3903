/**
 * Protocol violations close the offending connection with a logged reason; the gateway and its
 * other connections keep working. Each case states the reason the gateway reports.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NinepClient } from "../../servers/9p/client.js";
import { encodeMessage } from "../../servers/9p/codec.js";
import { client, startWorld, type World } from "./fixture.js";

let w: World;
let bystander: NinepClient;
beforeAll(async () => {
  w = await startWorld();
  bystander = await client(w.gw);
  await bystander.attach(0, "ctl");
  await bystander.walk(0, 1, ["zero"]);
  await bystander.lopen(1, 0);
});
afterAll(async () => {
  await bystander?.close();
  await w?.close();
});

function frame(type: number, tag: number, body: Buffer): Buffer {
  const head = Buffer.alloc(7);
  head.writeUInt32LE(7 + body.length, 0);
  head.writeUInt8(type, 4);
  head.writeUInt16LE(tag, 5);
  return Buffer.concat([head, body]);
}

/** Sends `bytes` on a fresh connection (after Tversion unless `raw`) and awaits its closure. */
async function closedBy(bytes: Buffer, raw = false): Promise<string> {
  const before = w.closures.length;
  const c = raw ? await NinepClient.connect(w.gw.addr) : await client(w.gw);
  if (!raw) await c.attach(0, "ctl");
  const seen = new Set(w.closures.slice(0, before));
  c.writeRaw(bytes);
  await c.ended;
  // The bystander is served after every closure.
  expect((await bystander.read(1, 0n, 8)).length).toBe(8);
  return w.closure((r) => !seen.has(r));
}

describe("malformed input closes that connection only", () => {
  it("a size below the header", async () => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(3, 0);
    expect(await closedBy(b)).toBe("malformed 9P frame: size 3 is below the 7-byte header");
  });

  it("a size above the negotiated msize", async () => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(65537, 0);
    expect(await closedBy(b)).toBe("malformed 9P frame: size 65537 is above the limit of 65536");
  });

  it("a size above the gateway's limit before Tversion", async () => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(0xffffffff, 0);
    expect(await closedBy(b, true)).toBe(
      "malformed 9P frame: size 4294967295 is above the limit of 1048576",
    );
  });

  it("an unknown message type", async () => {
    expect(await closedBy(frame(200, 1, Buffer.alloc(4)))).toBe(
      "protocol violation: message type 200 is not a 9P2000.L request",
    );
  });

  it("a reply sent as a request", async () => {
    expect(await closedBy(frame(101, 1, Buffer.alloc(6)))).toBe(
      "protocol violation: message type 101 is not a 9P2000.L request",
    );
  });

  it("a request before Tversion", async () => {
    const m = encodeMessage({ type: "Tclunk", tag: 1, fid: 0 });
    expect(await closedBy(m, true)).toBe("protocol violation: Tclunk before Tversion");
  });

  it("fields that overrun the frame, and trailing bytes", async () => {
    // Twalk with nwname 2 and no names.
    const body = Buffer.alloc(10);
    body.writeUInt16LE(2, 8);
    expect(await closedBy(frame(110, 1, body))).toBe(
      "malformed 9P frame: field wnames overruns the frame",
    );
    expect(await closedBy(frame(120, 1, Buffer.alloc(6)))).toBe(
      "malformed 9P frame: Tclunk: 2 trailing bytes",
    );
  });

  it("a name that is not UTF-8", async () => {
    const body = Buffer.from([0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0xff]);
    expect(await closedBy(frame(110, 1, body))).toBe(
      "malformed 9P frame: field wnames: invalid UTF-8",
    );
  });

  it("a fid that was never attached", async () => {
    const m = encodeMessage({ type: "Tgetattr", tag: 1, fid: 77, requestMask: 0x7ffn });
    expect(await closedBy(m)).toBe("protocol violation: fid 77 was never attached");
  });

  it("a walk of 17 names", async () => {
    const wnames = Array.from({ length: 17 }, () => "a");
    const m = encodeMessage({ type: "Twalk", tag: 1, fid: 0, newfid: 1, wnames });
    expect(await closedBy(m)).toBe("protocol violation: Twalk of 17 names (at most 16)");
  });

  it("a tag reused while its request is in flight", async () => {
    await w.fsl.makePipe("name/tmp/tagpipe");
    const c = await client(w.gw);
    await c.attach(0, "name/tmp");
    await c.walk(0, 1, ["tagpipe"]);
    // The open blocks (no writer), so tag 5 stays in flight.
    c.writeRaw(encodeMessage({ type: "Tlopen", tag: 5, fid: 1, flags: 0 }));
    c.writeRaw(encodeMessage({ type: "Tgetattr", tag: 5, fid: 0, requestMask: 1n }));
    await c.ended;
    const reason = "protocol violation: tag 5 is already in flight";
    expect(await w.closure((r) => r === reason)).toBe(reason);
  });

  it("an msize too small to be useful", async () => {
    const c = await NinepClient.connect(w.gw.addr);
    c.writeRaw(encodeMessage({ type: "Tversion", tag: 0xffff, msize: 100, version: "9P2000.L" }));
    await c.ended;
    const reason = "protocol violation: msize 100 is below 512";
    expect(await w.closure((r) => r === reason)).toBe(reason);
  });

  it("after all of these the gateway serves new connections and holds only the bystander", async () => {
    const c = await client(w.gw);
    expect((await c.attach(0, "name")).qid.type).toBe(0x80);
    await c.close();
    await w.connectionsAre(1);
  });
});
