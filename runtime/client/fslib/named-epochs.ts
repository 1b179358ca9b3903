/**
 * What named says about a fence's epoch file (`name/.epochs/<hex fence id>`, docs/security.md,
 * "Fences from the epoch file"): how memfsd and RPC servers check a fence they did not issue.
 * Shaped as protsrv's `RemoteEpochs` (the client room does not import protsrv).
 */
import { ErrCode } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import { isErrNotfound } from "../errors.js";
import type { FsLibCore } from "./core.js";

export interface NamedEpochFacts {
  owner: string;
  perm: number;
  epoch: string;
}

/** A reader of named's `.epochs` through `fsl`; undefined when named knows no such epoch file. */
export function namedEpochs(
  fsl: Pick<FsLibCore, "getFile">,
): (fenceId: bigint) => Promise<NamedEpochFacts | undefined> {
  return async (fenceId) => {
    const path = `name/.epochs/${fenceId.toString(16)}`;
    let bytes: Uint8Array;
    try {
      bytes = await fsl.getFile(path);
    } catch (e) {
      if (isErrNotfound(e)) return undefined;
      throw e;
    }
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (!isFacts(v))
      throw new SigmaError(ErrCode.Inval, path, `invalid argument: ${path}: not epoch facts`);
    return { owner: v.owner, perm: v.perm, epoch: v.epoch };
  };
}

function isFacts(v: unknown): v is NamedEpochFacts {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o["owner"] === "string" &&
    typeof o["perm"] === "number" &&
    typeof o["epoch"] === "string" &&
    /^[0-9a-f]{0,16}$/.test(o["epoch"])
  );
}
