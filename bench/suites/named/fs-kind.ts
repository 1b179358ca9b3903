/**
 * The kind of file system a directory is on, for the etcd rows' note: an fsync on tmpfs costs
 * nothing, on a disk it is most of a put, and a reader of the numbers must know which it was.
 */
import { statfsSync } from "node:fs";

// Magic numbers from statfs(2).
const KINDS: ReadonlyMap<number, string> = new Map([
  [0xef53, "ext4"],
  [0x01021994, "tmpfs"],
  [0x58465342, "xfs"],
  [0x9123683e, "btrfs"],
  [0x794c7630, "overlayfs"],
  [0x2fc12fc1, "zfs"],
]);

export function fsKind(dir: string): string {
  try {
    const type = statfsSync(dir).type;
    return KINDS.get(type) ?? `fs type 0x${type.toString(16)}`;
  } catch {
    return "unknown fs";
  }
}
