/**
 * Readers of FsLib (spec 6.5): a plain reader (one TreadV per read), a read-ahead reader for
 * large sequential reads, and the watch variants that wait for a file to exist.
 */
import { MAXGETSET, Mode } from "../../../generated/sigmap/types.js";
import { type CallOpts, limitsOf, type Limits, optsOf } from "../call-limits.js";
import { concat } from "../fd/fd-client.js";
import { checkCount, checkOffset } from "../fd/offsets.js";
import type { FsLibCore } from "./core.js";
import { observed } from "./watch.js";

/** Read-ahead buffer size. */
export const READER_BUFFER = 4 * 1024 * 1024;
/** Read-ahead depth, in buffers. */
export const READ_AHEAD = 4;

/** A fenced reader over an open fd. */
export class Reader {
  readonly #fsl: FsLibCore;
  /** The reader's fd. */
  readonly fd: number;

  constructor(fsl: FsLibCore, fd: number) {
    this.#fsl = fsl;
    this.fd = fd;
  }

  /** One TreadV of up to `n` bytes at the offset (capped to one chunk); empty at the end. */
  read(n: number, opts?: CallOpts): Promise<Uint8Array> {
    return this.#fsl.readOnce(this.fd, n, opts);
  }

  /** One read of up to MAXGETSET bytes at the offset. */
  getData(opts?: CallOpts): Promise<Uint8Array> {
    return this.read(MAXGETSET, opts);
  }

  /** Everything from the offset to the end. */
  async readAll(opts?: CallOpts): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for (;;) {
      const data = await this.read(this.#fsl.getChunkSize(), opts);
      if (data.length === 0) return concat(parts);
      parts.push(data);
    }
  }

  /** Moves the offset (as FsLib.seek: Inval unless a safe non-negative integer number). */
  lseek(offset: number): void {
    this.#fsl.seek(this.fd, offset);
  }

  /** Closes the fd. */
  close(opts?: CallOpts): Promise<void> {
    return this.#fsl.close(this.fd, opts);
  }
}

/** A sequential reader that keeps READ_AHEAD reads of READER_BUFFER bytes in flight. */
export class AsyncReader {
  readonly #fsl: FsLibCore;
  readonly #fd: number;
  readonly #lim: Limits;
  /** Bytes per read-ahead request. */
  readonly bufferSize: number;
  #next: number;
  #ahead: Promise<Uint8Array>[] = [];
  #buf: Uint8Array = new Uint8Array(0);
  #eof = false;

  constructor(fsl: FsLibCore, fd: number, offset: number, lim: Limits) {
    this.#next = checkOffset(offset);
    this.#fsl = fsl;
    this.#fd = fd;
    this.#lim = lim;
    this.bufferSize = Math.min(READER_BUFFER, fsl.readCount(fd));
    this.#fill();
  }

  /** Up to `n` bytes (Inval unless a safe non-negative integer number); empty at the end. */
  async read(n: number): Promise<Uint8Array> {
    checkCount(n);
    while (this.#buf.length === 0) {
      const p = this.#ahead.shift();
      if (p === undefined) return new Uint8Array(0);
      const data = await p;
      // A short read is the end: what is still in flight lies past it.
      if (data.length < this.bufferSize) {
        this.#eof = true;
        this.#ahead = [];
      }
      this.#buf = data;
      this.#fill();
      if (data.length === 0) return data;
    }
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(out.length);
    return out;
  }

  /** Waits for reads in flight and closes the fd. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#ahead);
    this.#ahead = [];
    await this.#fsl.close(this.#fd);
  }

  #fill(): void {
    // One deadline for the reader's life, as one call: each read gets what is left of it.
    const opts = optsOf(this.#lim);
    while (!this.#eof && this.#ahead.length < READ_AHEAD) {
      const off = this.#next;
      this.#next += this.bufferSize;
      this.#ahead.push(observed(this.#fsl.pread(this.#fd, off, this.bufferSize, opts)));
    }
  }
}

/** Opens `path` for reading. */
export async function openReader(fsl: FsLibCore, path: string, opts?: CallOpts): Promise<Reader> {
  return new Reader(fsl, await fsl.open(path, Mode.OREAD, opts));
}

/** Opens `path` for sequential reading with read-ahead from `offset`. */
export async function openAsyncReader(
  fsl: FsLibCore,
  path: string,
  offset: number,
  opts?: CallOpts,
): Promise<AsyncReader> {
  // Checked before the open, so that a bad offset leaves no fd behind.
  checkOffset(offset);
  const fd = await fsl.open(path, Mode.OREAD, opts);
  return new AsyncReader(fsl, fd, offset, limitsOf(opts));
}

/** Waits until `path` exists and opens it for reading. */
export async function openReaderWatch(
  fsl: FsLibCore,
  path: string,
  opts?: CallOpts,
): Promise<Reader> {
  for (;;) {
    const r = await fsl.openWatch(path, Mode.OREAD, opts);
    if (r.kind === "open") return new Reader(fsl, r.fd);
    await r.changed;
  }
}

/** Waits until `path` exists and returns its content (one MAXGETSET read). */
export async function getFileWatch(
  fsl: FsLibCore,
  path: string,
  opts?: CallOpts,
): Promise<Uint8Array> {
  const rdr = await openReaderWatch(fsl, path, opts);
  try {
    return await rdr.getData(opts);
  } finally {
    await rdr.close().catch(() => undefined);
  }
}
