/**
 * Paths a caller may name inside a directory procd controls (its bin directory, a proc's working
 * directory): relative, `/`-separated, every element a real name. The text alone is checked here;
 * where the filesystem could redirect it (symlinks), the caller checks the resolved path too.
 */
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../../runtime/errors/index.js";

/** Longer names are refused: nothing legitimate needs them, and they bound the work. */
const MAX_PATH = 1024;

/**
 * The elements of `p`, or Inval naming `what` and the rule it breaks: empty, absolute, a NUL, an
 * empty element (`a//b`, a trailing `/`), `.` or `..`.
 */
export function relativeElements(p: string, what: string): string[] {
  const bad = (why: string): SigmaError =>
    new SigmaError(ErrCode.Inval, p, `${what} ${JSON.stringify(p)}: ${why}`);
  if (p === "") throw bad("empty");
  if (p.length > MAX_PATH) throw bad(`longer than ${MAX_PATH} characters`);
  if (p.includes("\0")) throw bad("contains a NUL");
  if (p.startsWith("/")) throw bad("an absolute path; name it relative to the directory");
  const parts = p.split("/");
  if (parts.some((s) => s === "")) throw bad("an empty path element");
  if (parts.some((s) => s === "." || s === "..")) throw bad("may not contain . or ..");
  return parts;
}
