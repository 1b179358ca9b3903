/** Which kind of object a create perm makes (spec 4.2). */
import { ErrCode, Perm } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";

export type CreatableKind = "dir" | "file" | "symlink" | "pipe";

// Type bits a client may not create: devices are inserted only by server code.
const REFUSED =
  Perm.DMMOUNT | Perm.DMAUTH | Perm.DMLINK | Perm.DMDEVICE | Perm.DMREPL | Perm.DMSOCKET;

export function kindOfPerm(perm: number, name: string): CreatableKind {
  if ((perm & Perm.DMDIR) !== 0) return "dir";
  if ((perm & Perm.DMSYMLINK) !== 0) return "symlink";
  if ((perm & Perm.DMNAMEDPIPE) !== 0) return "pipe";
  if ((perm & REFUSED) !== 0) {
    throw new SigmaError(
      ErrCode.Inval,
      name,
      `invalid argument: create ${name} with perm 0x${(perm >>> 0).toString(16)}`,
    );
  }
  return "file";
}
