/**
 * How the fs commands report failure: one readable line, `sigma: <path>: <what went wrong>`, and
 * a non-zero exit code. SigmaErrors are described by their code; anything else by its text.
 */
import { describeErrorCode, errorText, isSigmaError } from "../../runtime/errors/index.js";

export class CliError extends Error {}

export function errorLine(e: unknown, path?: string): string {
  if (isSigmaError(e)) {
    const where = path ?? e.obj;
    const what = describeErrorCode(e.code);
    const detail = e.message.startsWith(what) ? "" : ` (${e.message})`;
    return `sigma: ${where ? `${where}: ` : ""}${what}${detail}`;
  }
  return `sigma: ${path ? `${path}: ` : ""}${errorText(e)}`;
}
