/**
 * The client end of a raw session connection in tests: sends hand-built frames (any seqno, any
 * ack interval, resends) and collects replies by seqno, so tests see exactly what the server
 * sent.
 */
import {
  decodeRerror,
  decodeRheartbeat,
  decodeRwrite,
  encodeTclunk,
  encodeTdetach,
  encodeTheartbeat,
  encodeTwatch,
  encodeTwriteread,
  encodeTwriteV,
} from "../../generated/sigmap/codec.js";
import {
  MsgType,
  NoOffset,
  type Header,
  type Rerror,
  type Tfence,
} from "../../generated/sigmap/types.js";
import type { CloseReason, MessageConn, WireMessage } from "../../runtime/net/types.js";
import { NO_DATA } from "../../runtime/contract/index.js";

export const NULL_FENCE: Tfence = { fenceid: { path: 0n, serverid: 0n }, epoch: 0n };

export interface SendOptions {
  data?: Uint8Array;
  /** The ack interval [start, end); default empty. */
  received?: [bigint, bigint];
  fence?: Tfence;
  /** Header overrides, for protocol-error tests. */
  client?: bigint;
  session?: bigint;
}

export class TestConn {
  private conn: MessageConn | null = null;
  private readonly inbox = new Map<bigint, WireMessage[]>();
  private readonly waiters = new Map<bigint, ((m: WireMessage) => void)[]>();
  /** Every reply received, in arrival order. */
  readonly received: WireMessage[] = [];

  constructor(
    readonly client: bigint,
    readonly session: bigint,
    /** The session key its hellos carry. */
    readonly key: Uint8Array,
  ) {}

  attach(conn: MessageConn): void {
    this.conn = conn;
  }

  get closed(): Promise<CloseReason> {
    return this.raw.closed;
  }

  get raw(): MessageConn {
    if (this.conn === null) throw new Error("test connection not attached");
    return this.conn;
  }

  deliver(msg: WireMessage): void {
    this.received.push(msg);
    const seqno = msg.header.seqno;
    const waiting = this.waiters.get(seqno);
    const next = waiting?.shift();
    if (next !== undefined) {
      next(msg);
      return;
    }
    const box = this.inbox.get(seqno) ?? [];
    box.push(msg);
    this.inbox.set(seqno, box);
  }

  /** The next not yet consumed reply for `seqno`. */
  reply(seqno: bigint): Promise<WireMessage> {
    const queued = this.inbox.get(seqno)?.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const list = this.waiters.get(seqno) ?? [];
      list.push(resolve);
      this.waiters.set(seqno, list);
    });
  }

  /** How many replies for `seqno` arrived so far. */
  repliesFor(seqno: bigint): number {
    return this.received.filter((m) => m.header.seqno === seqno).length;
  }

  send(type: number, seqno: bigint, body: unknown, opts: SendOptions = {}): Promise<WireMessage> {
    const header: Header = {
      type,
      tag: 0,
      client: opts.client ?? this.client,
      session: opts.session ?? this.session,
      seqno,
      received: { start: opts.received?.[0] ?? 0n, end: opts.received?.[1] ?? 0n },
      fence: opts.fence ?? NULL_FENCE,
    };
    this.raw.send({ header, body, data: opts.data ?? NO_DATA });
    return this.reply(seqno);
  }

  writeV(seqno: bigint, text: string, opts: SendOptions = {}): Promise<WireMessage> {
    const body = encodeTwriteV({ fid: 1, offset: NoOffset, version: 0, data: NO_DATA });
    return this.send(MsgType.TwriteV, seqno, body, { ...opts, data: Buffer.from(text) });
  }

  writeread(seqno: bigint, text: string, opts: SendOptions = {}): Promise<WireMessage> {
    const body = encodeTwriteread({ fid: 1, data: NO_DATA });
    return this.send(MsgType.Twriteread, seqno, body, { ...opts, data: Buffer.from(text) });
  }

  watch(seqno: bigint, fid: number, opts: SendOptions = {}): Promise<WireMessage> {
    return this.send(MsgType.Twatch, seqno, encodeTwatch({ fid }), opts);
  }

  clunk(seqno: bigint, opts: SendOptions = {}): Promise<WireMessage> {
    return this.send(MsgType.Tclunk, seqno, encodeTclunk({ fid: 1 }), opts);
  }

  detach(seqno: bigint, opts: SendOptions = {}): Promise<WireMessage> {
    return this.send(MsgType.Tdetach, seqno, encodeTdetach({ propId: 0, leadId: 0 }), opts);
  }

  heartbeat(seqno: bigint): Promise<WireMessage> {
    const sids = new Map([[this.session, true]]);
    return this.send(MsgType.Theartbeat, seqno, encodeTheartbeat({ serverSide: false, sids }));
  }

  close(): void {
    this.conn?.close("local");
  }
}

/** Rwrite's count; fails the test with the error text if the reply is an Rerror. */
export function countOf(msg: WireMessage): number {
  if (msg.header.type === MsgType.Rerror) throw new Error(`Rerror: ${errorOf(msg).err}`);
  return decodeRwrite(msg.body).count;
}

export function errorOf(msg: WireMessage): Rerror {
  if (msg.header.type !== MsgType.Rerror)
    throw new Error(`expected Rerror, got ${msg.header.type}`);
  return decodeRerror(msg.body);
}

export function heartbeatSids(msg: WireMessage): Map<bigint, boolean> {
  return decodeRheartbeat(msg.body).sids;
}
