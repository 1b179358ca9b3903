/**
 * Test fixture: a ProtServer driven through its handlers with fake sessions (no sockets). Each
 * FakeSession has its own AbortController (closing it is the session layer's abort) and counts the
 * park() calls of its requests.
 */
import { decodeStat } from "../../generated/sigmap/codec.js";
import {
  Mode,
  NoOffset,
  NoV,
  type Stat,
  type Tfence,
  type Tqid,
} from "../../generated/sigmap/types.js";
import { MemFs } from "../../runtime/fs/index.js";
import { createProtServer, type ProtServer } from "../../runtime/protsrv/index.js";
import type { RequestContext } from "../../runtime/session/server/server-types.js";
import { unpack } from "../../runtime/wire/index.js";

export const NULL_FENCE: Tfence = { fenceid: { path: 0n, serverid: 0n }, epoch: 0n };

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

let nextSession = 1n;

export class FakeSession {
  readonly id: bigint;
  readonly ps: ProtServer;
  readonly controller = new AbortController();
  parks = 0;
  #seqno = 0n;
  #nextFid = 100;

  constructor(ps: ProtServer, id = nextSession++) {
    this.ps = ps;
    this.id = id;
  }

  ctx(fence: Tfence = NULL_FENCE): RequestContext {
    return {
      session: this.id,
      client: 1n,
      seqno: ++this.#seqno,
      fence,
      principal: null,
      signal: this.controller.signal,
      park: () => {
        this.parks++;
      },
    };
  }

  get h(): ProtServer["handlers"] {
    return this.ps.handlers;
  }

  fid(): number {
    return this.#nextFid++;
  }

  /** A fid at the root (or aname). */
  async attach(aname = "", uname = "tester"): Promise<number> {
    const fid = this.fid();
    await this.h.attach(
      { fid, afid: 0xffffffff, uname, aname, credentials: new Uint8Array() },
      this.ctx(),
    );
    return fid;
  }

  /** A new fid at `path` walked from a fresh root fid. */
  async walkTo(path: string): Promise<{ fid: number; qids: Tqid[] }> {
    const root = await this.attach();
    const fid = this.fid();
    const r = await this.h.walk(
      { fid: root, newFid: fid, wnames: path.split("/").filter((s) => s !== "") },
      this.ctx(),
    );
    await this.h.clunk({ fid: root }, this.ctx());
    return { fid, qids: r.qids };
  }

  async create(path: string, perm = 0o644, mode: number = Mode.ORDWR): Promise<number> {
    const names = path.split("/");
    const name = names.pop() as string;
    const { fid } = await this.walkTo(names.join("/"));
    await this.h.create({ fid, name, perm, mode }, this.ctx());
    return fid;
  }

  async put(
    path: string,
    data: string,
    opts: { mode?: number; perm?: number } = {},
  ): Promise<number> {
    const root = await this.attach();
    const r = await this.h.putfile(
      {
        fid: root,
        mode: opts.mode ?? Mode.OWRITE | Mode.OTRUNC,
        perm: opts.perm ?? 0o644,
        offset: 0n,
        wnames: path.split("/"),
        resolve: true,
        data: enc(data),
      },
      this.ctx(),
    );
    await this.h.clunk({ fid: root }, this.ctx());
    return r.count;
  }

  async get(path: string): Promise<string> {
    const root = await this.attach();
    try {
      const r = await this.h.getfile(
        {
          fid: root,
          mode: Mode.OREAD,
          offset: 0n,
          count: 1_000_000,
          wnames: path.split("/"),
          resolve: true,
        },
        this.ctx(),
      );
      return dec(r.data);
    } finally {
      await this.h.clunk({ fid: root }, this.ctx());
    }
  }

  async stat(path: string): Promise<Stat> {
    const { fid } = await this.walkTo(path);
    const r = await this.h.stat({ fid }, this.ctx());
    await this.h.clunk({ fid }, this.ctx());
    return r.stat;
  }

  async version(path: string): Promise<number> {
    return (await this.stat(path)).qid.version;
  }

  async read(fid: number, count = 1 << 20, offset = 0n, version = NoV): Promise<Uint8Array> {
    return (await this.h.readV({ fid, offset, count, version }, this.ctx())).data;
  }

  async write(fid: number, data: string, offset = NoOffset, version = NoV): Promise<number> {
    return (await this.h.writeV({ fid, offset, version, data: enc(data) }, this.ctx())).count;
  }

  /** Every entry name of a directory, read with `count`-byte reads. */
  async list(path: string, count = 1 << 20): Promise<string[]> {
    const { fid } = await this.walkTo(path);
    await this.h.open({ fid, mode: Mode.OREAD }, this.ctx());
    const names: string[] = [];
    for (;;) {
      const data = await this.read(fid, count);
      if (data.length === 0) break;
      for (const st of parseEntries(data)) names.push(st.name);
    }
    await this.h.clunk({ fid }, this.ctx());
    return names;
  }

  /** The session ends: the session layer's abort, then protsrv's detach. */
  async detach(): Promise<void> {
    this.controller.abort();
    await this.ps.onDetach({ id: this.id });
  }
}

/** Splits a directory read into Stats (4-byte big-endian length + MessagePack Stat each). */
export function parseEntries(data: Uint8Array): Stat[] {
  const out: Stat[] = [];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at < data.length) {
    const n = view.getUint32(at);
    out.push(decodeStat(unpack(data.subarray(at + 4, at + 4 + n))));
    at += 4 + n;
  }
  return out;
}

export function setup(): { fs: MemFs; ps: ProtServer; a: FakeSession; b: FakeSession } {
  const fs = new MemFs();
  const ps = createProtServer({ root: fs.root });
  return { fs, ps, a: new FakeSession(ps), b: new FakeSession(ps) };
}

/** Lets pending promise callbacks run (a blocked request gets as far as it can). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

/** Whether a promise has settled yet, without waiting for it. */
export async function isPending(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await settle();
  return !done;
}
