/**
 * Fuzzing: random and mutated 9P frames against a running gateway (a `sigma 9p` process in front
 * of named). What must hold afterwards: the process is alive, every fuzzed connection was either
 * answered or closed (none hangs), a fresh client is served normally, no connection is left
 * behind, and the gateway's resident memory grew by less than a fixed bound.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mode } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/index.js";
import { NinepClient } from "../../servers/9p/client.js";
import { encodeMessage } from "../../servers/9p/codec.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { anyMessage, REQUESTS } from "./arbitraries.js";
import { bytes } from "./fixture.js";
import { type GatewayProcess, spawnGateway } from "./gateway-process.js";

let named: Named;
let gw: GatewayProcess;
beforeAll(async () => {
  named = await startNamed({ port: 0 });
  const fsl = await FsLib.connect({ named: named.addr });
  await fsl.mkDir("name/tmp/fz");
  await fsl.putFile("name/tmp/fz/f", 0o777, Mode.OWRITE, bytes("fuzz me"));
  await fsl.close();
  gw = await spawnGateway(named.addr);
}, 60_000);
afterAll(async () => {
  await gw?.stop();
  await named?.close();
});

/** A connection ready for fuzz: version (small msize), fid 0 on ctl, fid 1 on the namespace. */
async function session(): Promise<NinepClient> {
  const c = await NinepClient.connect(gw.addr);
  await c.version(8192);
  await c.attach(0, "ctl");
  await c.attach(1, "name/tmp/fz");
  return c;
}

/**
 * Sends `frames`, then a sentinel request. The sentinel is answered (the connection survived) or
 * the connection closes; either way the gateway has dealt with every frame before it.
 */
async function survive(frames: Buffer[]): Promise<"answered" | "closed"> {
  const c = await session();
  c.writeRaw(completeFrames(Buffer.concat(frames)));
  const sentinel = c.rpc({ type: "Tstatfs", fid: 0 }).then(
    () => "answered" as const,
    () => "closed" as const,
  );
  const outcome = await Promise.race([sentinel, c.ended.then(() => "closed" as const)]);
  await c.close();
  return outcome;
}

/**
 * The stream cut or padded to whole frames. A frame announcing more bytes than follow would make
 * the gateway wait for them, as 9P requires (an idle connection is legitimate): the fuzzer then
 * supplies them, so the sentinel behind it is read as a frame of its own. A size the gateway
 * refuses ends the check there: the gateway closes the connection at that point.
 */
function completeFrames(stream: Buffer): Buffer {
  let at = 0;
  while (at + 4 <= stream.length) {
    const size = stream.readUInt32LE(at);
    if (size < 7 || size > 8192) return stream;
    at += size;
  }
  if (at > stream.length) return Buffer.concat([stream, Buffer.alloc(at - stream.length)]);
  return stream.subarray(0, at);
}

/** Tversion restarts a connection with another msize; it has its own tests, not fuzz. */
function noVersion(b: Buffer): Buffer {
  if (b.length > 4 && b[4] === 100) b[4] = 120;
  return b;
}

/** Well-formed requests on the fuzz fids, so that mutations reach the handlers. */
const request = anyMessage(REQUESTS).map((m) => {
  const r = m as unknown as Record<string, unknown>;
  for (const k of ["fid", "dfid", "dirfid", "olddirfid", "newdirfid"]) {
    if (k in r) r[k] = (r[k] as number) % 3;
  }
  // Tags below 1000: the sentinel's tag is the client's first free one, far from these.
  r["tag"] = 1000 + ((r["tag"] as number) % 1000);
  // Tversion would restart the connection and Tflush of random tags is harmless but noisy.
  if (r["type"] === "Tversion") r["type"] = "Tclunk";
  return encodeMessage(m);
});

const mutated = fc
  .tuple(
    request,
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    fc.nat(40),
  )
  .map(([frame, flips, cut]) => {
    const b = Buffer.from(frame);
    for (const [at, byte] of flips) b[at % b.length] = byte;
    return noVersion(cut < 4 ? b.subarray(0, b.length - Math.min(cut, b.length - 1)) : b);
  });

const random = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 64 }), fc.boolean())
  .map(([type, body, honestSize]) => {
    const b = Buffer.alloc(7 + body.length);
    b.writeUInt32LE(honestSize ? b.length : (body[0] ?? 0) * 97 + 3, 0);
    b.writeUInt8(type, 4);
    b.writeUInt16LE(999, 5);
    b.set(body, 7);
    return noVersion(b);
  });

describe("9P fuzzing against a running gateway", () => {
  it("random and mutated frames: no crash, no hang, bounded memory", async () => {
    const rssBefore = gw.rss();
    const outcomes = { answered: 0, closed: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(mutated, random), { minLength: 1, maxLength: 8 }),
        async (frames) => {
          outcomes[await survive(frames)]++;
        },
      ),
      { numRuns: 300 },
    );
    // Both kinds of outcome happened: the fuzz reached the handlers and the framing checks.
    expect(outcomes.answered).toBeGreaterThan(0);
    expect(outcomes.closed).toBeGreaterThan(0);
    // The gateway is alive and serves a fresh client normally.
    expect(gw.child.exitCode).toBe(null);
    const c = await session();
    const fid = 5;
    await c.walk(1, fid, []);
    expect((await c.getattr(fid)).qid.type).toBe(0x80);
    await c.close();
    // 300 connections came and went; what stays is far below what they could have held.
    expect(gw.rss() - rssBefore).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);
});
