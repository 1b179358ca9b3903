/**
 * A descriptor lookup against the switch it replaced, in process: one op sends four requests
 * (Tclunk, Twalk, Tstat, Tgetfile) through the server's dispatcher to handlers that answer at
 * once, through the client over a transport that answers at once, and through both (the client
 * over a transport that is the dispatcher: a call's whole in-process path). Each side does the
 * same decoding, encoding and promise steps; what differs is how the message's code is found.
 * The dispatcher alone pays a few nanoseconds a request for its shared call sites (a switch
 * calls each decoder and handler from a site of its own); the client gains more than that by
 * not being an async function, so a call costs less than before. Each side has call sites of
 * its own (no shared helper calls both), as each would in a program that has only one.
 */
import { SigmapClient } from "../../../generated/sigmap/client.js";
import * as c from "../../../generated/sigmap/codec.js";
import { dispatchSigmap, type SigmapHandlers } from "../../../generated/sigmap/server.js";
import { MsgType, type Rstat } from "../../../generated/sigmap/types.js";
import { NO_DATA, type RawReply, type Transport } from "../../../runtime/contract/index.js";
import { pack, unpack } from "../../../runtime/wire/index.js";
import type { SuiteContext } from "../../lib/suite.js";
import { ratioAtLeast } from "../../lib/target.js";
import { rread, rwalk, tgetfile, twalk } from "./messages.js";
import { switchDispatch, SwitchClient } from "./switch-dispatch.js";

/** The client: no slower than the switch. */
const TARGET = ratioAtLeast(1);
/**
 * The dispatcher, and a call as a whole: within this case's noise of the switch (±10% between
 * runs on a loaded machine; in separate processes, by CPU time, a whole call is a few per cent
 * faster than with the switch).
 */
const DISPATCH_TARGET = ratioAtLeast(0.9);

const tclunk = { fid: 1 };
const tstat = { fid: 1 };
const rstat: Rstat = {
  stat: {
    type: 0,
    dev: 0,
    qid: { type: 0, version: 3, path: 1_000_004n },
    mode: 0o644,
    atime: 0,
    mtime: 1_700_000_000,
    length: 4096n,
    name: "todo.txt",
    uid: "alice",
    gid: "alice",
    muid: "alice",
  },
};

// Only the four requests the op sends are answered; the cast stands in for the other fourteen.
const handlers = {
  clunk: async () => ({}),
  walk: async () => rwalk,
  stat: async () => rstat,
  getfile: async () => rread,
} as unknown as SigmapHandlers<null>;

/** Bodies as the wire delivers them (through MessagePack), by type. */
const requests: [number, unknown][] = [
  [MsgType.Tclunk, wire(c.encodeTclunk(tclunk))],
  [MsgType.Twalk, wire(c.encodeTwalk(twalk))],
  [MsgType.Tstat, wire(c.encodeTstat(tstat))],
  [MsgType.Tgetfile, wire(c.encodeTgetfile(tgetfile))],
];

export async function dispatchCases(ctx: SuiteContext): Promise<void> {
  await expectSameReplies();
  await ctx.compare({
    name: "dispatch-descriptors",
    unit: "ops/s",
    run: async () => {
      for (const [type, body] of requests) {
        check(await dispatchSigmap(handlers, type, body, NO_DATA, null));
      }
    },
    baseline: {
      name: "dispatch-switch",
      run: async () => {
        for (const [type, body] of requests) {
          check(await switchDispatch(handlers, type, body, NO_DATA, null));
        }
      },
    },
    target: DISPATCH_TARGET,
    note: "Tclunk, Twalk, Tstat, Tgetfile through the server's dispatcher, in process",
  });
  const ours = new SigmapClient(transport);
  const old = new SwitchClient(transport);
  await ctx.compare({
    name: "client-descriptors",
    unit: "ops/s",
    run: async () => {
      await ours.clunk(tclunk);
      await ours.walk(twalk);
      await ours.stat(tstat);
      await ours.getfile(tgetfile);
    },
    baseline: {
      name: "client-switch",
      run: async () => {
        await old.clunk(tclunk);
        await old.walk(twalk);
        await old.stat(tstat);
        await old.getfile(tgetfile);
      },
    },
    target: TARGET,
    note: "the same four calls through the generated client over an immediate transport",
  });
  // Two transports written out rather than made by one factory: a call site shared by both
  // sides would see both dispatchers and slow each down, which no real program does.
  const oursThrough = new SigmapClient({
    call: (type, body, data) => dispatchSigmap(handlers, type, body, data ?? NO_DATA, null),
  });
  const oldThrough = new SwitchClient({
    call: (type, body, data) => switchDispatch(handlers, type, body, data ?? NO_DATA, null),
  });
  await ctx.compare({
    name: "call-descriptors",
    unit: "ops/s",
    run: async () => {
      await oursThrough.clunk(tclunk);
      await oursThrough.walk(twalk);
      await oursThrough.stat(tstat);
      await oursThrough.getfile(tgetfile);
    },
    baseline: {
      name: "call-switch",
      run: async () => {
        await oldThrough.clunk(tclunk);
        await oldThrough.walk(twalk);
        await oldThrough.stat(tstat);
        await oldThrough.getfile(tgetfile);
      },
    },
    target: DISPATCH_TARGET,
    note: "the four calls, client straight into the dispatcher: a call's in-process path",
  });
}

function check(r: RawReply): void {
  if (r.type === MsgType.Rerror) throw new Error(`dispatch failed: ${JSON.stringify(r.body)}`);
}

// The replies, encoded and through MessagePack, as the client's session would hand them back.
const replies = new Map<number, RawReply>([
  [MsgType.Tclunk, { type: MsgType.Rclunk, body: wire(c.encodeRclunk({})), data: NO_DATA }],
  [MsgType.Twalk, { type: MsgType.Rwalk, body: wire(c.encodeRwalk(rwalk)), data: NO_DATA }],
  [MsgType.Tstat, { type: MsgType.Rstat, body: wire(c.encodeRstat(rstat)), data: NO_DATA }],
  [MsgType.Tgetfile, { type: MsgType.Rread, body: wire(c.encodeRread(rread)), data: rread.data }],
]);

const transport: Transport = {
  call: (type) => Promise.resolve(replies.get(type)!),
};

/** A fast wrong dispatcher would win; both must produce the same replies first. */
async function expectSameReplies(): Promise<void> {
  for (const [type, body] of requests) {
    const a = await dispatchSigmap(handlers, type, body, NO_DATA, null);
    const b = await switchDispatch(handlers, type, body, NO_DATA, null);
    if (!Buffer.from(pack([a.type, a.body])).equals(Buffer.from(pack([b.type, b.body])))) {
      throw new Error(`dispatch of type ${type}: the two dispatchers disagree`);
    }
  }
}

function wire(body: unknown[]): unknown {
  return unpack(pack(body));
}
