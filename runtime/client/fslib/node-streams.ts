/**
 * Large files as Node streams: a Readable backed by the read-ahead reader and a Writable backed by
 * the buffering writer. The file is opened on first use, so the call itself cannot fail; errors
 * surface as stream errors.
 */
import { Readable, Writable } from "node:stream";
import { Mode } from "../../../generated/sigmap/types.js";
import type { CallOpts } from "../call-limits.js";
import type { FsLibCore } from "./core.js";
import { openAsyncReader } from "./readers.js";
import type { AsyncWriter } from "./writers.js";
import { AsyncWriter as BufferedWriter, Writer } from "./writers.js";

/** A Readable of the whole file `path`. */
export function createReadStream(fsl: FsLibCore, path: string, opts?: CallOpts): Readable {
  async function* bytes(): AsyncGenerator<Uint8Array, void, undefined> {
    const rdr = await openAsyncReader(fsl, path, 0, opts);
    try {
      for (;;) {
        const data = await rdr.read(rdr.bufferSize);
        if (data.length === 0) return;
        yield data;
      }
    } finally {
      await rdr.close();
    }
  }
  return Readable.from(bytes(), { objectMode: false });
}

/** A Writable that creates `path` (or truncates an existing one) and writes to it. */
export function createWriteStream(
  fsl: FsLibCore,
  path: string,
  perm: number,
  opts?: CallOpts,
): Writable {
  let writer: AsyncWriter | undefined;
  const open = async (): Promise<AsyncWriter> => {
    if (writer === undefined) {
      const fd = await fsl.createOpen(path, perm, Mode.OWRITE | Mode.OTRUNC, opts);
      writer = new BufferedWriter(new Writer(fsl, fd));
    }
    return writer;
  };
  return new Writable({
    write(chunk: Uint8Array, _enc, cb): void {
      open()
        .then((w) => w.write(chunk, opts))
        .then(() => cb(), cb);
    },
    final(cb): void {
      open()
        .then((w) => w.close(opts))
        .then(() => cb(), cb);
    },
  });
}
