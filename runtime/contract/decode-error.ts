/**
 * Why a decoder rejected its input, and where: `path` names the offending value the way code
 * would reach it (`Twalk.wnames[2]`). Generated decoders turn it into SigmaError(BadFcall).
 */
export class DecodeError extends Error {
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(path === "" ? reason : `${path}: ${reason}`);
    this.name = "DecodeError";
    this.path = path;
    this.reason = reason;
  }
}
