/**
 * The simulated network: hosts, connections between a client host and a server, and the faults
 * the seed draws. A connection is what TCP gives the session layer (spec 2.1): each direction
 * delivers frames in order, after a latency drawn per frame; the network may lose a frame, and
 * then the connection breaks, as TCP would report it; a cut or a partition breaks it too. Each
 * end learns of a break on its own, later (frames already in flight towards an end that has not
 * yet learned still arrive, as data before a reset does). Optionally the network also duplicates
 * a frame on its connection, which TCP never does, to test the session layer's dedup.
 *
 * Servers plug in as the session layer's NetServerHooks (createSessionService): the simulation
 * does netsrv's part of the hello, without encoding it; every later frame is encoded and decoded
 * with the runtime's own codec, so each side receives its own copy, as over a socket.
 */
import { ErrCode, type Tversion } from "../../generated/sigmap/types.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { OUR_PROTOCOL } from "../../runtime/net/hello.js";
import { decodeMessage, encodeMessage } from "../../runtime/net/message.js";
import type {
  CloseReason,
  DialOptions,
  MessageConn,
  NetServerHooks,
  WireMessage,
} from "../../runtime/net/types.js";
import type { DialFn } from "../../runtime/session/client/client-types.js";
import type { Random } from "../chaos/random.js";

export interface NetFaults {
  /** One-way latency of a frame, ms. */
  latencyMs: readonly [number, number];
  /** Chance (per frame) that it is lost and its connection breaks. */
  drop: number;
  /** Chance (per frame) that it arrives twice. */
  duplicate: number;
  /** How long an end may take to learn that its connection broke, ms. */
  noticeMs: readonly [number, number];
}

export interface NetCounts {
  frames: number;
  drops: number;
  duplicates: number;
  cuts: number;
  partitions: number;
}

const MAX_FRAME = 16 * 1024 * 1024;
const RESOLVED: Promise<void> = Promise.resolve();

class SimEnd implements MessageConn {
  readonly closed: Promise<CloseReason>;
  #closed = false;
  #resolveClosed!: (reason: CloseReason) => void;
  /** Set by the network once the connection exists. */
  peer!: SimEnd;
  link!: Link;
  deliver: (msg: WireMessage) => void = () => {};
  onClose: (reason: CloseReason) => void = () => {};
  /** Virtual time the last frame sent from this end arrives: later frames arrive after it. */
  lastArrival = 0;
  /**
   * Frames sent in one turn of the loop travel together (FramedConn writes them in one
   * syscall) and arrive in one turn: the batch still open for this turn, if any.
   */
  batch: { sentAt: number; payloads: Uint8Array[] } | null = null;

  constructor(
    readonly net: SimNetwork,
    readonly host: string,
    readonly remote: string,
    readonly maxFrame: number,
  ) {
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  send(msg: WireMessage): void {
    if (!this.#closed) this.net.transmit(this, encodeMessage(msg));
  }

  writable(): Promise<void> {
    return RESOLVED;
  }

  close(reason: CloseReason = "local"): void {
    if (this.#closed) return;
    this.end(reason);
    this.net.breakLink(this.link, this.peer);
  }

  /** This end learns the connection is over. */
  end(reason: CloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#resolveClosed(reason);
    this.onClose(reason);
  }
}

interface Link {
  readonly client: SimEnd;
  readonly server: SimEnd;
  broken: boolean;
}

export class SimNetwork {
  readonly counts: NetCounts = { frames: 0, drops: 0, duplicates: 0, cuts: 0, partitions: 0 };
  readonly #servers = new Map<string, NetServerHooks>();
  readonly #links = new Set<Link>();
  /** Hosts cut off from every server. */
  readonly #partitioned = new Set<string>();
  #ports = 40_000;
  #faultsOn = true;

  constructor(
    readonly random: Random,
    readonly faults: NetFaults,
  ) {}

  /** A server reachable at `addr` (`host:port`). */
  addServer(addr: string, hooks: NetServerHooks): void {
    this.#servers.set(addr, hooks);
  }

  /** The session client's dial seam, for the client on `host`. */
  dialer(host: string): DialFn {
    return (addr, opts) => this.#dial(host, addr, opts);
  }

  /**
   * Cuts `host` (a client host, or a server's address) off: breaks every connection it has and
   * refuses dials from or to it until `heal`.
   */
  partition(host: string): void {
    this.counts.partitions++;
    this.#partitioned.add(host);
    for (const link of this.#links) {
      if (link.client.host === host || link.server.host === host) this.#break(link);
    }
  }

  heal(host: string): void {
    this.#partitioned.delete(host);
  }

  /** Breaks one connection, drawn from those open, if any. */
  cutOne(): void {
    const open = [...this.#links];
    if (open.length === 0) return;
    this.counts.cuts++;
    this.#break(this.random.pick(open));
  }

  /** No more faults: every host reachable, no frame lost or duplicated. */
  quiet(): void {
    this.#faultsOn = false;
    this.#partitioned.clear();
  }

  /** Frames may be lost or duplicated again. */
  loud(): void {
    this.#faultsOn = true;
  }

  transmit(from: SimEnd, payload: Uint8Array): void {
    const link = from.link;
    if (link.broken) return;
    this.counts.frames++;
    const f = this.faults;
    if (this.#faultsOn && this.#chance(f.drop)) {
      this.counts.drops++;
      this.#break(link);
      return;
    }
    this.#carry(from, payload);
    if (this.#faultsOn && this.#chance(f.duplicate)) {
      this.counts.duplicates++;
      this.#carry(from, payload);
    }
  }

  /** `end` closed its side: the other side learns later. */
  breakLink(link: Link, other: SimEnd): void {
    link.broken = true;
    this.#links.delete(link);
    setTimeout(() => other.end("remote"), this.#draw(this.faults.noticeMs));
  }

  #carry(from: SimEnd, payload: Uint8Array): void {
    const now = Date.now();
    if (from.batch !== null && from.batch.sentAt === now) {
      from.batch.payloads.push(payload);
      return;
    }
    const to = from.peer;
    const batch = { sentAt: now, payloads: [payload] };
    from.batch = batch;
    const at = Math.max(now + this.#draw(this.faults.latencyMs), from.lastArrival);
    from.lastArrival = at;
    setTimeout(() => {
      if (from.batch === batch) from.batch = null;
      for (const p of batch.payloads) {
        if (to.isClosed) return;
        to.deliver(decodeMessage(p));
      }
    }, at - now);
  }

  #break(link: Link): void {
    if (link.broken) return;
    link.broken = true;
    this.#links.delete(link);
    for (const end of [link.client, link.server]) {
      setTimeout(() => end.end("error"), this.#draw(this.faults.noticeMs));
    }
  }

  #dial(host: string, addr: string, opts: DialOptions): Promise<MessageConn> {
    return new Promise<MessageConn>((resolve, reject) => {
      const unreachable = (why: string) =>
        reject(new SigmaError(ErrCode.Unreachable, addr, `unreachable: ${addr}: ${why}`));
      const hooks = this.#servers.get(addr);
      if (hooks === undefined || this.#partitioned.has(host) || this.#partitioned.has(addr)) {
        // A SYN nobody answers: the dial gives up at its connect timeout.
        setTimeout(() => unreachable("no hello in time"), opts.connectTimeoutMs ?? 1000);
        return;
      }
      const maxFrame = Math.min(opts.maxFrame ?? MAX_FRAME, MAX_FRAME);
      const client = new SimEnd(this, host, addr, maxFrame);
      const server = new SimEnd(this, addr, `${host}:${this.#ports++}`, maxFrame);
      const link: Link = { client, server, broken: false };
      client.peer = server;
      server.peer = client;
      client.link = link;
      server.link = link;
      this.#links.add(link);
      // The hello's round trip: the server's answer after one latency, the client's after two.
      setTimeout(() => {
        if (link.broken) return unreachable("connection closed during the hello");
        server.deliver = (msg) => hooks.onMessage(server, msg);
        server.onClose = (reason) => hooks.onClose(server, reason);
        const hello: Tversion = {
          msize: maxFrame,
          ...OUR_PROTOCOL,
          client: opts.client,
          session: opts.session,
          resume: opts.resume,
        };
        if (opts.sessionKey !== undefined) hello.key = opts.sessionKey;
        const answer = (refusal: SigmaError | null): void => {
          setTimeout(() => {
            if (refusal !== null) {
              server.close("local");
              return reject(refusal);
            }
            if (link.broken || opts.signal?.aborted === true) {
              client.close("local");
              return unreachable("connection closed during the hello");
            }
            client.deliver = (msg) => opts.onMessage(msg);
            client.onClose = (reason) => opts.onClose?.(reason);
            resolve(client);
          }, this.#draw(this.faults.latencyMs));
        };
        // Only a journalled server answers later; the simulated ones have none.
        const refusal = hooks.onHello(server, hello);
        if (refusal instanceof Promise) void refusal.then(answer);
        else answer(refusal);
      }, this.#draw(this.faults.latencyMs));
    });
  }

  #draw([lo, hi]: readonly [number, number]): number {
    return this.random.int(lo, hi);
  }

  #chance(p: number): boolean {
    return p > 0 && this.random.int(0, 999_999) < p * 1_000_000;
  }
}
