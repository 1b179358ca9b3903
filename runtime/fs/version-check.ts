import { ErrCode, NoV } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";

/** Version(current) unless `expected` is NoV (or absent) or equals the current version (spec 4.6). */
export function checkVersion(current: number, expected: number | undefined): void {
  if (expected === undefined || expected === NoV || expected === current) return;
  throw new SigmaError(ErrCode.Version, String(current));
}
