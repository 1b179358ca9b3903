/** Creating, renaming and removing objects for the console (the page asks for confirmation). */
import { ErrCode, Mode, Perm } from "../../generated/sigmap/types.js";
import { type FsLib, isErrNotfound } from "../../runtime/client/index.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { badRequest } from "./api-errors.js";
import type { CreateRequest, DetailsJson } from "./api-types.js";
import { kindOf } from "./entry-json.js";
import { objectDetails } from "./object-details.js";

/**
 * Creates a file (never replacing one), a directory or a symlink; returns its details. Files and
 * directories get 0777 less `umask` (the principal's, auth.ts).
 */
export async function createObject(
  fsl: FsLib,
  req: CreateRequest,
  timeoutMs: number,
  umask = 0,
): Promise<DetailsJson> {
  const opts = { timeoutMs };
  const tmp = req.ephemeral === true ? Perm.DMTMP : 0;
  const perm = (0o777 & ~umask) | tmp;
  switch (req.kind) {
    case "file":
      await fsl.putFile(
        req.path,
        perm,
        Mode.OEXCL,
        new TextEncoder().encode(req.content ?? ""),
        opts,
      );
      break;
    case "dir":
      await fsl.mkDir(req.path, perm, opts);
      break;
    case "symlink":
      if (req.target === undefined || req.target === "")
        throw badRequest("a symlink needs a target");
      // A symlink's own bits guard nothing: 0777 as in Unix.
      await fsl.symlink(req.target, req.path, 0o777 | tmp, opts);
      break;
  }
  return objectDetails(fsl, req.path, timeoutMs);
}

/** Renames `from` to `to`; an existing `to` is refused (Exists) rather than replaced. */
export async function renameObject(
  fsl: FsLib,
  from: string,
  to: string,
  timeoutMs: number,
): Promise<void> {
  const opts = { timeoutMs };
  try {
    await fsl.stat(to, opts);
    throw new SigmaError(ErrCode.Exists, to, `exists: ${to} (remove it first)`);
  } catch (e) {
    if (!isErrNotfound(e)) throw e;
  }
  await fsl.rename(from, to, opts);
}

/** Removes `path`; a non-empty directory only with `recursive` (else NotEmpty). */
export async function removeObject(
  fsl: FsLib,
  path: string,
  recursive: boolean,
  timeoutMs: number,
): Promise<void> {
  const opts = { timeoutMs };
  if (recursive && kindOf((await fsl.stat(path, opts)).qid.type) === "dir") {
    await fsl.rmDir(path, opts);
    return;
  }
  await fsl.remove(path, opts);
}
