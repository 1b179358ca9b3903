/**
 * The content of a symlink is either a mount record or a path (spec 2.8, deviation 11). A record
 * is marked explicitly so that a path can never be mistaken for a mount.
 */
import { decodeTmount, encodeTmount } from "../../../generated/sigmap/codec.js";
import { ErrCode, type Tmount } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import { pack, unpack } from "../../wire/index.js";

/** NUL "MNT": no path symlink starts with a NUL byte. */
const MARKER = Uint8Array.of(0x00, 0x4d, 0x4e, 0x54);
/** The record format this library reads and writes. */
export const MOUNT_RECORD_VERSION = 0x01;

/** What a symlink holds. */
export type SymlinkTarget = { kind: "mount"; mount: Tmount } | { kind: "path"; target: string };

/** Encodes a mount record: marker, version byte, MessagePack Tmount. */
export function encodeMountRecord(mount: Tmount): Uint8Array {
  const body = pack(encodeTmount(mount));
  const out = new Uint8Array(MARKER.length + 1 + body.length);
  out.set(MARKER, 0);
  out[MARKER.length] = MOUNT_RECORD_VERSION;
  out.set(body, MARKER.length + 1);
  return out;
}

/** Whether `content` starts with the mount-record marker (its body is not checked). */
export function hasMountMarker(content: Uint8Array): boolean {
  return content.length >= MARKER.length && MARKER.every((b, i) => content[i] === b);
}

/**
 * Reads a symlink's content. Without the marker it is a path (UTF-8). A marked record with an
 * unknown version or an undecodable body throws `Inval("bad mount record")`.
 */
export function decodeSymlink(content: Uint8Array): SymlinkTarget {
  if (!hasMountMarker(content)) {
    return { kind: "path", target: new TextDecoder().decode(content) };
  }
  if (content[MARKER.length] !== MOUNT_RECORD_VERSION) throw badRecord();
  try {
    return { kind: "mount", mount: decodeTmount(unpack(content.subarray(MARKER.length + 1))) };
  } catch (e) {
    throw badRecord(e);
  }
}

/** Decodes a mount record; a path symlink or a bad record throws `Inval("bad mount record")`. */
export function decodeMountRecord(content: Uint8Array): Tmount {
  const t = decodeSymlink(content);
  if (t.kind !== "mount") throw badRecord();
  return t.mount;
}

function badRecord(cause?: unknown): SigmaError {
  return new SigmaError(ErrCode.Inval, "bad mount record", undefined, { cause });
}
