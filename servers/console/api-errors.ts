/**
 * Errors as the API answers them: a SigmaError keeps its code, name, object and text and gets the
 * HTTP status that says the same thing; the console's own refusals (read-only, bad requests,
 * expired cursors) are ApiErrors with code 0.
 */
import { ErrCode } from "../../generated/sigmap/types.js";
import { errorCodeInfo, errorText, isSigmaError } from "../../runtime/errors/index.js";
import type { ErrorBody, FileJson } from "./api-types.js";

/** A refusal by the console itself, or a SigmaError on its way to the browser. */
export class ApiError extends Error {
  readonly status: number;
  readonly errName: string;
  readonly code: number;
  readonly obj: string;
  /** A refused save carries the file as it is now. */
  readonly current: FileJson | undefined;
  /** A 401 for want of a login says where to log in. */
  readonly loginPath: string | undefined;

  constructor(
    status: number,
    errName: string,
    message: string,
    more: { code?: number; obj?: string; current?: FileJson; loginPath?: string } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.errName = errName;
    this.code = more.code ?? 0;
    this.obj = more.obj ?? "";
    this.current = more.current;
    this.loginPath = more.loginPath;
  }
}

/** A request the console cannot make sense of (400). */
export function badRequest(message: string): ApiError {
  return new ApiError(400, "BadRequest", message);
}

/** What the read-only console answers every change (403). */
export function readOnlyRefusal(): ApiError {
  return new ApiError(
    403,
    "ReadOnly",
    "the console is read-only (--read-only): nothing can change",
  );
}

/** Any thrown value as an ApiError. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isSigmaError(e)) {
    const name = errorCodeInfo(e.code)?.name ?? `error${e.code}`;
    return new ApiError(statusOf(e.code), name, e.message, { code: e.code, obj: e.obj });
  }
  return new ApiError(500, "Internal", errorText(e));
}

/** The JSON body of an error answer. */
export function errorBody(e: ApiError): ErrorBody {
  const body: ErrorBody = {
    error: { name: e.errName, code: e.code, obj: e.obj, message: e.message },
  };
  if (e.current !== undefined) body.current = e.current;
  if (e.loginPath !== undefined) body.loginPath = e.loginPath;
  return body;
}

const STATUS: Partial<Record<number, number>> = {
  [ErrCode.Notfound]: 404,
  [ErrCode.Exists]: 409,
  [ErrCode.NotEmpty]: 409,
  [ErrCode.Version]: 409,
  [ErrCode.Stale]: 409,
  [ErrCode.Inval]: 400,
  [ErrCode.NotDir]: 400,
  [ErrCode.NotFile]: 400,
  [ErrCode.NotSymlink]: 400,
  [ErrCode.Isdir]: 400,
  [ErrCode.BadFcall]: 400,
  [ErrCode.NotSupported]: 422,
  // A principal's refusals (per-caller tokens, bearer-auth.ts): the caller may not, or is not known.
  [ErrCode.Perm]: 403,
  [ErrCode.Unauthorized]: 401,
  [ErrCode.Unreachable]: 502,
  [ErrCode.SessClosed]: 502,
  [ErrCode.Closed]: 502,
  [ErrCode.Timeout]: 504,
};

function statusOf(code: number): number {
  return STATUS[code] ?? 500;
}
