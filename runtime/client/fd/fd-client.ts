/**
 * fdclnt (spec 6.3): file descriptors with offsets over fids. Reads and writes go out in chunks of
 * at most the chunk size and the session's frame limit, so a caller may ask for any length.
 */
import { NoV, type Tqid } from "../../../generated/sigmap/types.js";
import type { Limits } from "../call-limits.js";
import { FdTable } from "./fd-table.js";
import type { FidClient } from "../fid/fid-client.js";
import { checkCount } from "./offsets.js";
import type { PathClient } from "../path/path-client.js";
import type { SessionEntry } from "../fid/session-pool.js";

/** An open file descriptor. */
export interface FdEntry {
  readonly fid: number;
  // Captured at open: after the session closes the fid number may belong to someone else, so
  // every fd operation checks this session first.
  readonly entry: SessionEntry;
  readonly mode: number;
  offset: number;
}

/** How a read or write treats versions and fences. */
export interface IoFlags {
  /** Send the fid's last qid version (readV/writeV) instead of NoV. */
  versioned?: boolean;
  /** Send no fence (readVU). */
  unfenced?: boolean;
}

/** fdclnt: descriptors over fids; BadFd for an unknown fd, SessClosed once its session closed. */
export class FdClient {
  readonly fds = new FdTable<FdEntry>();
  readonly fids: FidClient;
  readonly paths: PathClient;

  constructor(paths: PathClient) {
    this.paths = paths;
    this.fids = paths.fids;
  }

  /** Wraps an open fid in a new descriptor at offset 0. */
  adopt(fid: number, mode: number): number {
    return this.fds.alloc({ fid, entry: this.fids.state(fid).entry, mode, offset: 0 });
  }

  /** The descriptor's entry: BadFd if unknown, SessClosed if its session has closed. */
  entry(fd: number): FdEntry {
    const e = this.fds.get(fd);
    e.entry.checkOpen();
    return e;
  }

  /**
   * Frees the descriptor and clunks its fid. On a closed session the descriptor is freed and the
   * call fails with SessClosed.
   */
  async close(fd: number, lim: Limits): Promise<void> {
    const e = this.fds.free(fd);
    e.entry.checkOpen();
    await this.fids.clunk(e.fid, lim);
  }

  /**
   * Reads up to `n` bytes at the descriptor's offset in chunks; stops early at a short read (the
   * end of a file, a pipe's available bytes, a directory's entries that fit).
   */
  async read(fd: number, n: number, lim: Limits, flags: IoFlags = {}): Promise<Uint8Array> {
    checkCount(n);
    const e = this.entry(fd);
    const chunk = this.paths.readCount(e.fid);
    const parts: Uint8Array[] = [];
    let got = 0;
    while (got < n) {
      const want = Math.min(chunk, n - got);
      const data = await this.#readAt(e, want, lim, flags);
      parts.push(data);
      got += data.length;
      if (data.length < want) break;
    }
    return concat(parts, got);
  }

  /**
   * Reads up to `n` bytes at `offset` in chunks, leaving the descriptor's offset alone, so that
   * concurrent positional reads of one descriptor (a 9P server's, say) cannot disturb each other.
   */
  async readAt(fd: number, offset: number, n: number, lim: Limits): Promise<Uint8Array> {
    const e = this.entry(fd);
    const chunk = this.paths.readCount(e.fid);
    const parts: Uint8Array[] = [];
    let got = 0;
    while (got < n) {
      const want = Math.min(chunk, n - got);
      const data = await this.fids.readV(e.fid, BigInt(offset + got), want, NoV, lim);
      parts.push(data);
      got += data.length;
      if (data.length < want) break;
    }
    return concat(parts, got);
  }

  /** Writes all of `data` at `offset` in chunks, leaving the descriptor's offset alone. */
  async writeAt(fd: number, offset: number, data: Uint8Array, lim: Limits): Promise<number> {
    const e = this.entry(fd);
    const chunk = this.paths.readCount(e.fid);
    let done = 0;
    while (done < data.length || data.length === 0) {
      const part = data.subarray(done, done + chunk);
      const n = await this.fids.writeV(e.fid, BigInt(offset + done), part, NoV, lim);
      done += n;
      if (n < part.length || data.length === 0) break;
    }
    return done;
  }

  /** Exactly one TreadV of at most `n` bytes (capped to one chunk) at the offset. */
  async readOnce(fd: number, n: number, lim: Limits, flags: IoFlags = {}): Promise<Uint8Array> {
    checkCount(n);
    const e = this.entry(fd);
    return this.#readAt(e, Math.min(n, this.paths.readCount(e.fid)), lim, flags);
  }

  /** Writes all of `data` at the offset in chunks; returns the bytes written. */
  async write(fd: number, data: Uint8Array, lim: Limits, flags: IoFlags = {}): Promise<number> {
    const e = this.entry(fd);
    const chunk = this.paths.readCount(e.fid);
    let done = 0;
    while (done < data.length || data.length === 0) {
      const part = data.subarray(done, done + chunk);
      const version = flags.versioned === true ? this.fids.state(e.fid).qid.version : NoV;
      const n = await this.fids.writeV(e.fid, BigInt(e.offset), part, version, lim);
      e.offset += n;
      done += n;
      if (n < part.length || data.length === 0) break;
    }
    return done;
  }

  /** Twriteread on the descriptor's fid. Not async (the RPC hot path); it still only rejects. */
  writeRead(fd: number, data: Uint8Array, lim: Limits): Promise<Uint8Array> {
    let fid: number;
    try {
      fid = this.entry(fd).fid;
    } catch (e) {
      return Promise.reject(e);
    }
    return this.fids.writeread(fid, data, lim);
  }

  /** Sets the offset of the next read or write (checked by the caller: FsLib.seek). */
  seek(fd: number, offset: number): void {
    this.entry(fd).offset = offset;
  }

  /** The qid last seen for the descriptor's object. */
  qid(fd: number): Tqid {
    return this.fids.state(this.entry(fd).fid).qid;
  }

  async #readAt(e: FdEntry, n: number, lim: Limits, flags: IoFlags): Promise<Uint8Array> {
    const version = flags.versioned === true ? this.fids.state(e.fid).qid.version : NoV;
    const data = await this.fids.readV(
      e.fid,
      BigInt(e.offset),
      n,
      version,
      lim,
      flags.unfenced === true,
    );
    e.offset += data.length;
    return data;
  }
}

/** Joins byte arrays; a single part is returned as is. */
export function concat(parts: readonly Uint8Array[], total?: number): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const out = new Uint8Array(total ?? parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
