/**
 * Who may do what to an object (docs/security.md, "Permission checks in protsrv"). Unix-like:
 * the owner bits (`perm >> 6 & 7`) apply to the object's owner, the others bits (`perm & 7`) to
 * everyone else; group bits are stored but unused until tokens carry groups. Removing is decided
 * by the parent directory, with the sticky bit (DMSETVTX) restricting it to the entry's or the
 * directory's owner. An `admin` may do everything, a `readonly` principal nothing that mutates.
 *
 * Every check is for a principal: callers skip them when `c.ctx.principal` is null (open mode),
 * so an open server pays one null check per request and nothing else.
 */
import { ErrCode, Mode, Perm } from "../../generated/sigmap/types.js";
import type { Principal } from "../auth/index.js";
import { SigmaError } from "../errors/index.js";
import type { Dir, FsObj } from "../fs/index.js";
import type { Fid } from "./fid-table.js";
import { bitsFor, MAY_READ, MAY_SEARCH, MAY_WRITE } from "./perm-bits.js";
import type { Call } from "./server-state.js";

export { MAY_READ, MAY_SEARCH, MAY_WRITE, bitsFor } from "./perm-bits.js";

/** The uname a fid records: in open mode the client's; else the principal's (`""` or the same). */
export function attachUser(c: Call, uname: string): string {
  const p = c.ctx.principal;
  if (p === null) return uname;
  if (uname !== "" && uname !== p.user) {
    throw new SigmaError(
      ErrCode.Unauthorized,
      "attach",
      `unauthorized: attach as ${uname}, but this session's token is for ${p.user}`,
    );
  }
  return p.user;
}

/**
 * Perm(name) unless `p` has every bit of `need` on `obj`. Writing an RPC device is a call, not a
 * mutation: a readonly principal may make it, and the service decides (it sees the principal).
 */
export async function need(p: Principal, obj: FsObj, want: number, name: string): Promise<void> {
  if (p.role === "admin") return;
  if (p.role === "readonly" && (want & MAY_WRITE) !== 0 && !isRpcDevice(obj)) {
    throw readonlyError(name);
  }
  const owner = (await obj.meta()).owner;
  if ((bitsFor(p, owner, obj.perm) & want) !== want) throw denied(p, name, want);
}

function isRpcDevice(obj: FsObj): boolean {
  return obj.kind === "device" && obj.rpc;
}

/** The bits opening with `mode` needs: OREAD r, OWRITE w, ORDWR r+w, OEXEC x; OTRUNC adds w. */
export function openNeeds(mode: number): number {
  const access = mode & 3;
  const base =
    access === Mode.OREAD
      ? MAY_READ
      : access === Mode.OWRITE
        ? MAY_WRITE
        : access === Mode.ORDWR
          ? MAY_READ | MAY_WRITE
          : MAY_SEARCH;
  return (mode & Mode.OTRUNC) !== 0 ? base | MAY_WRITE : base;
}

/** Before anything of Topen, Tgetfile or Tputfile on an existing object. */
export function mayOpen(p: Principal, obj: FsObj, mode: number, name: string): Promise<void> {
  // Opening a directory lists it (read); a "write" open of one is refused by the store later.
  return need(p, obj, obj.kind === "dir" ? MAY_READ : openNeeds(mode), name);
}

/**
 * Whether `p` may unlink `target` (named `name`) from `dir`: w on the directory and, if it is
 * sticky, ownership of the entry or of the directory.
 */
export async function mayRemoveFrom(
  p: Principal,
  dir: Dir,
  target: FsObj,
  name: string,
): Promise<void> {
  if (p.role === "admin") return;
  if (p.role === "readonly") throw readonlyError(name);
  const dirOwner = (await dir.meta()).owner;
  if ((bitsFor(p, dirOwner, dir.perm) & MAY_WRITE) === 0) throw denied(p, name, MAY_WRITE);
  if ((dir.perm & Perm.DMSETVTX) === 0 || p.user === dirOwner) return;
  if ((await target.meta()).owner !== p.user) {
    throw new SigmaError(
      ErrCode.Perm,
      name,
      `permission denied: ${name} belongs to another user in a sticky directory (${p.user})`,
    );
  }
}

/**
 * Reading or writing through a fid: an open fid by the mode it was opened with (checked at
 * open, as in Unix); an unopened one by the object's bits now.
 */
export async function fidMay(p: Principal, f: Fid, want: number): Promise<void> {
  if (!f.open) return need(p, f.obj, want, f.name);
  if (p.role === "readonly" && (want & MAY_WRITE) !== 0 && !isRpcDevice(f.obj)) {
    throw readonlyError(f.name);
  }
  if ((openNeeds(f.mode) & want) !== want) {
    const how = want === MAY_READ ? "reading" : "writing";
    throw new SigmaError(ErrCode.Perm, f.name, `permission denied: ${f.name} not open for ${how}`);
  }
}

/** The mutations a readonly principal may never make, whatever the bits. */
export function readonlyError(name: string): SigmaError {
  return new SigmaError(ErrCode.Perm, name, `permission denied: ${name}: read-only principal`);
}

function denied(p: Principal, name: string, want: number): SigmaError {
  const what = [
    want & MAY_READ ? "r" : "",
    want & MAY_WRITE ? "w" : "",
    want & MAY_SEARCH ? "x" : "",
  ];
  return new SigmaError(
    ErrCode.Perm,
    name,
    `permission denied: ${name} (${p.user} needs ${what.join("")})`,
  );
}
