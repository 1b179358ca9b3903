/** Rules for names a request adds to a directory (spec 4.6, 4.10). */
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";

/** Inval for ".", "..", "" and names holding "/": none can be an entry. */
export function checkEntryName(name: string): void {
  if (name === "" || name === "." || name === ".." || name.includes("/")) {
    throw new SigmaError(ErrCode.Inval, name, `invalid argument: name "${name}"`);
  }
}

/** The last element of a path, for errors about the object it names. */
export function lastName(path: readonly string[]): string {
  return path[path.length - 1] ?? "";
}
