/**
 * Error predicates of spec 5.1. Callers decide retries from these instead of comparing codes, so
 * the library's notion of "special element" or "unavailable" lives in one place.
 */
import { ErrCode } from "../../generated/sigmap/types.js";
import { type SigmaError, isErr, isSigmaError } from "../errors/index.js";

/** Notfound: the name (`obj`) does not exist. */
export function isErrNotfound(e: unknown): e is SigmaError {
  return isErr(e, ErrCode.Notfound);
}

/**
 * The server stopped at an element it cannot walk itself: NotDir (a symlink or file in the way,
 * or "the final element is a symlink, resolve it"), or Notfound on a union element (`~…`). The
 * combined operations fall back to a full client-side walk on this.
 */
export function isMaybeSpecialElem(e: unknown): e is SigmaError {
  return isErr(e, ErrCode.NotDir) || (isErrNotfound(e) && e.obj.startsWith("~"));
}

/** Unreachable: no server answered, no mount covers the path, or too many symlinks. */
export function isErrUnreachable(e: unknown): e is SigmaError {
  return isErr(e, ErrCode.Unreachable);
}

/** Unreachable or Notfound: the thing asked for is not available now. */
export function isErrUnavailable(e: unknown): e is SigmaError {
  return isErrUnreachable(e) || isErrNotfound(e);
}

/** Version: the object moved since the client last saw it (`obj` is the current version). */
export function isErrVersion(e: unknown): e is SigmaError {
  return isErr(e, ErrCode.Version);
}

/** Stale: fenced out by a newer epoch. Final. */
export function isErrStale(e: unknown): e is SigmaError {
  return isErr(e, ErrCode.Stale);
}

/** SessClosed: the session is gone; reopen it with `reopenSession` first. */
export function isErrSessClosed(e: unknown): e is SigmaError {
  return isErr(e, ErrCode.SessClosed);
}

/** Retry: the application said "busy, try again". */
export function isErrRetry(e: unknown): e is SigmaError {
  return isErr(e, ErrCode.Retry);
}

/** Exists: the name is taken. */
export function isErrExists(e: unknown): e is SigmaError {
  return isErr(e, ErrCode.Exists);
}

/**
 * The path or name an error concerns: the `obj` of Notfound and Unreachable, otherwise
 * undefined.
 */
export function errPath(e: unknown): string | undefined {
  if (isErrNotfound(e) || isErrUnreachable(e)) return e.obj;
  return undefined;
}

export { isSigmaError };
