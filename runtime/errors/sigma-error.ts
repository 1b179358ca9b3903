import { describeErrorCode } from "./error-table.js";

/**
 * The one error of the protocol stack: a code from the schema's error table, the object it
 * concerns (a name, path, version, fence or address) and a text. On the wire it travels as Rerror
 * and the client rebuilds it, so `message` must carry the full text. `cause` is Error's own.
 */
export class SigmaError extends Error {
  readonly code: number;
  readonly obj: string;

  constructor(code: number, obj = "", message?: string, options?: { cause?: unknown }) {
    super(message ?? defaultMessage(code, obj), options);
    this.name = "SigmaError";
    this.code = code;
    this.obj = obj;
  }
}

function defaultMessage(code: number, obj: string): string {
  const description = describeErrorCode(code);
  return obj === "" ? description : `${description}: ${obj}`;
}
