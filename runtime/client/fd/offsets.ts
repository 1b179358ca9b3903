/**
 * Offsets and counts as the public API takes them (spec 6.1): JavaScript numbers that are safe,
 * non-negative integers, plus the bigint `NoOffset` where an append is meant (`setFile`). They are
 * checked where the application hands them in, so that a bigint, a fraction or a negative number
 * is a clear Inval instead of a TypeError deep in the fd layer or a wrong offset on the wire.
 */
import { ErrCode, NoOffset } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";

/** An offset: a number, or NoOffset ("append") where the call allows it. */
export type Offset = number | typeof NoOffset;

/** `off` as a number; Inval unless it is a safe, non-negative integer number. */
export function checkOffset(off: unknown, what = "offset"): number {
  if (isIndex(off)) return off;
  throw invalid(what, off, "a safe non-negative integer number (NoOffset only in setFile)");
}

/** `n` as a number; Inval unless it is a safe, non-negative integer number. */
export function checkCount(n: unknown, what = "count"): number {
  if (isIndex(n)) return n;
  throw invalid(what, n, "a safe non-negative integer number");
}

/** A Tputfile offset: a checked number, or NoOffset itself. */
export function putOffset(off: unknown): bigint {
  if (off === NoOffset) return NoOffset;
  return BigInt(checkOffset(off));
}

function isIndex(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

function invalid(what: string, x: unknown, expected: string): SigmaError {
  const shown =
    typeof x === "bigint" ? `${x}n` : typeof x === "string" ? JSON.stringify(x) : String(x);
  return new SigmaError(
    ErrCode.Inval,
    `${what} ${shown}`,
    `invalid argument: ${what} ${shown}: must be ${expected}`,
  );
}
