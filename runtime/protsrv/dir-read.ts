/**
 * Directory reads with exact cursors (spec 4.6, deviation 8): the cursor is the last name
 * returned, and the next read resumes strictly after it in the directory's order. An entry present
 * throughout a listing therefore appears exactly once, one created or removed meanwhile at most
 * once; offsets are ignored.
 */
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { Dir } from "../fs/index.js";
import { encodeEntry, LIST_BATCH } from "./qid-stat.js";
import { Slicer } from "./slicer.js";

export interface DirCursor {
  /** The last entry returned; undefined before the first read. */
  after: string | undefined;
}

/**
 * Whole entries that fit in `count` bytes; empty at the end; Badcount if the next entry alone does
 * not fit.
 */
export async function readDir(dir: Dir, cursor: DirCursor, count: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let used = 0;
  // A read may be asked for a whole frame of entries (16 MiB: some 400,000 of them, about a
  // second of encoding); it yields to the event loop between slices instead of stalling named.
  const slicer = new Slicer();
  for (;;) {
    await slicer.turn();
    const batch = await dir.list(cursor.after, LIST_BATCH);
    for (const e of batch) {
      const bytes = await encodeEntry(e.obj);
      if (used + bytes.length > count) {
        if (parts.length === 0) {
          throw new SigmaError(
            ErrCode.Badcount,
            String(count),
            `bad count: ${count} bytes cannot hold entry ${e.name} (${bytes.length} bytes)`,
          );
        }
        return concat(parts, used);
      }
      parts.push(bytes);
      used += bytes.length;
      cursor.after = e.name;
    }
    if (batch.length < LIST_BATCH) return concat(parts, used);
  }
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
