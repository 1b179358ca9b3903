/**
 * Writers of FsLib (spec 6.5): a plain writer over an fd and a buffering writer that sends
 * WRITER_BUFFER bytes per request.
 */
import type { CallOpts } from "../call-limits.js";
import { concat } from "../fd/fd-client.js";
import type { FsLibCore } from "./core.js";

/** Buffer of the buffering writer. */
export const WRITER_BUFFER = 4 * 1024 * 1024;

/** Anything records can be written to. */
export interface ByteSink {
  write(data: Uint8Array, opts?: CallOpts): Promise<unknown>;
}

/** Writes through an fd at its offset. */
export class Writer implements ByteSink {
  readonly #fsl: FsLibCore;
  /** The writer's fd. */
  readonly fd: number;

  constructor(fsl: FsLibCore, fd: number) {
    this.#fsl = fsl;
    this.fd = fd;
  }

  /** Writes all of `data`; returns the count. */
  write(data: Uint8Array, opts?: CallOpts): Promise<number> {
    return this.#fsl.write(this.fd, data, opts);
  }

  /** Closes the fd. */
  close(opts?: CallOpts): Promise<void> {
    return this.#fsl.close(this.fd, opts);
  }
}

/**
 * Collects writes into WRITER_BUFFER-sized requests; at most one is in flight, so writes land in
 * order. `close()` flushes. A failed flush fails the next write or close.
 */
export class AsyncWriter implements ByteSink {
  readonly #w: Writer;
  #parts: Uint8Array[] = [];
  #size = 0;
  #inflight: Promise<unknown> = Promise.resolve();

  constructor(writer: Writer) {
    this.#w = writer;
  }

  /** Buffers `data`, sending a full buffer once the previous one is written. */
  async write(data: Uint8Array, opts?: CallOpts): Promise<number> {
    this.#parts.push(data.slice());
    this.#size += data.length;
    if (this.#size >= WRITER_BUFFER) await this.#flush(opts);
    return data.length;
  }

  /** Writes what is buffered and waits for it. */
  async flush(opts?: CallOpts): Promise<void> {
    await this.#flush(opts);
    await this.#inflight;
  }

  /** Flushes and closes the fd. */
  async close(opts?: CallOpts): Promise<void> {
    try {
      await this.flush(opts);
    } finally {
      await this.#w.close(opts);
    }
  }

  async #flush(opts?: CallOpts): Promise<void> {
    await this.#inflight;
    if (this.#size === 0) return;
    const data = concat(this.#parts, this.#size);
    this.#parts = [];
    this.#size = 0;
    this.#inflight = this.#w.write(data, opts);
    this.#inflight.catch(() => undefined);
  }
}

/** Creates `path` and returns a writer. */
export async function createWriter(
  fsl: FsLibCore,
  path: string,
  perm: number,
  mode: number,
  opts?: CallOpts,
): Promise<Writer> {
  return new Writer(fsl, await fsl.create(path, perm, mode, opts));
}

/** Opens `path` for writing and returns a writer. */
export async function openWriter(
  fsl: FsLibCore,
  path: string,
  mode: number,
  opts?: CallOpts,
): Promise<Writer> {
  return new Writer(fsl, await fsl.open(path, mode, opts));
}

/** Creates `path` and returns a buffering writer. */
export async function createAsyncWriter(
  fsl: FsLibCore,
  path: string,
  perm: number,
  mode: number,
  opts?: CallOpts,
): Promise<AsyncWriter> {
  return new AsyncWriter(await createWriter(fsl, path, perm, mode, opts));
}
