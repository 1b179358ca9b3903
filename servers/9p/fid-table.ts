/**
 * A connection's fids. A fid names a node and, once opened, an open file (a directory also gets a
 * readdir cursor). A fid number that the client never attached or walked to is a protocol
 * violation, not an error reply: the connection is closed (ProtocolError).
 */
import { Errno, ErrnoError } from "./errno.js";
import type { DirCursor } from "./readdir.js";
import type { Node, OpenFile } from "./tree.js";

export interface FidEntry {
  node: Node;
  file?: OpenFile;
  cursor?: DirCursor;
}

/** A violation of the protocol by the client: the connection closes with `reason`. */
export class ProtocolError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "ProtocolError";
  }
}

export class FidTable {
  readonly #fids = new Map<number, FidEntry>();
  /** Fids a walk or attach is creating: taken, not usable yet. */
  readonly #reserved = new Set<number>();

  constructor(readonly max: number) {}

  get size(): number {
    return this.#fids.size + this.#reserved.size;
  }

  /** The fid's entry. Errors: ProtocolError if it was never attached. */
  get(fid: number): FidEntry {
    const e = this.#fids.get(fid);
    if (e === undefined) throw new ProtocolError(`fid ${fid} was never attached`);
    return e;
  }

  /** Whether `fid` names an entry. */
  has(fid: number): boolean {
    return this.#fids.has(fid);
  }

  /** The open file of a fid. Errors: EBADF if the fid is not open. */
  open(fid: number): { entry: FidEntry; file: OpenFile } {
    const entry = this.get(fid);
    if (entry.file === undefined) throw new ErrnoError(Errno.EBADF, `fid ${fid} is not open`);
    return { entry, file: entry.file };
  }

  /** Takes `fid` for a new entry (`replacing` may be the fid itself, as in Twalk fid == newfid). */
  reserve(fid: number, replacing?: number): void {
    if (fid === replacing) return;
    if (this.#fids.has(fid) || this.#reserved.has(fid)) {
      throw new ErrnoError(Errno.EBADF, `fid ${fid} is in use`);
    }
    if (this.size >= this.max) throw new ErrnoError(Errno.EMFILE, `${this.max} fids`);
    this.#reserved.add(fid);
  }

  /** Gives up a reservation. */
  release(fid: number): void {
    this.#reserved.delete(fid);
  }

  /** Installs an entry for a reserved fid, or replaces an existing one's (its file is closed). */
  set(fid: number, entry: FidEntry): void {
    this.#reserved.delete(fid);
    const old = this.#fids.get(fid);
    this.#fids.set(fid, entry);
    if (old !== undefined && old !== entry) void closeEntry(old);
  }

  /** Removes the fid and closes its file. */
  async drop(fid: number): Promise<void> {
    const e = this.#fids.get(fid);
    if (e === undefined) return;
    this.#fids.delete(fid);
    await closeEntry(e);
  }

  /** Removes every fid, closing their files. */
  async clear(): Promise<void> {
    const all = [...this.#fids.values()];
    this.#fids.clear();
    this.#reserved.clear();
    await Promise.all(all.map(closeEntry));
  }
}

async function closeEntry(e: FidEntry): Promise<void> {
  // A clunk always releases the fid (9P); a failure to close the backing fd changes nothing for
  // the client, and a closed session has nothing left to close.
  await e.cursor?.close().catch(() => undefined);
  await e.file?.close().catch(() => undefined);
}
