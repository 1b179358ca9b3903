/**
 * The error a call rejects with when the server reported a failure: the handler's code, object
 * and message, so `isErr(e, ErrCode.Notfound)` tests a remote Notfound like a local one, and
 * `isRemoteError` tells it apart from a failure of the call itself (Timeout, SessClosed, …).
 */
import { isSigmaError, SigmaError } from "../../errors/index.js";

export class RemoteError extends SigmaError {
  /** The method as the call carried it, e.g. `Echo.Echo`. */
  readonly method: string;
  readonly remote = true;

  constructor(method: string, code: number, obj: string, message: string) {
    super(code, obj, message);
    this.method = method;
  }
}

export function isRemoteError(e: unknown): e is RemoteError {
  return isSigmaError(e) && (e as { remote?: unknown }).remote === true;
}
