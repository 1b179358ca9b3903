/**
 * How every `sigma` command reports failure: one readable line, `sigma: <what>: <what went
 * wrong> (<detail>)`, and a non-zero exit code. A command only throws; bin/run-sigma.ts prints the
 * line. SigmaErrors are described by their code, with whatever their message adds; anything else
 * by its text. Names in the line are escaped (printable.ts).
 */
import { ErrCode } from "../../generated/sigmap/types.js";
import { describeErrorCode, errorText, isErr, isSigmaError } from "../../runtime/errors/index.js";
import { EXIT } from "./exit-codes.js";
import { printable } from "./printable.js";

/** A failure the command itself detected; its message is the whole explanation. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

/** Carries the path a failure concerns, so the error line names what the user typed. */
export class PathError extends Error {
  /** Filled in by the command's runner, which knows the connection. */
  context: ErrorContext = {};

  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(path);
  }
}

/** Runs `f`, tagging its failure with `path`. */
export async function withPath<T>(path: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw new PathError(path, e);
  }
}

/** What the line may add from the command's connection. */
export interface ErrorContext {
  /** The client's mount points, listed when a path is under none of them. */
  mounts?: readonly string[];
}

/** The exit code a failure ends the command with. */
export function exitCodeOf(e: unknown): number {
  return e instanceof CliError ? e.exitCode : EXIT.failed;
}

/** The one line (without newline) that reports `e`. */
export function errorLine(e: unknown, path?: string, ctx: ErrorContext = {}): string {
  if (e instanceof PathError) return errorLine(e.cause, e.path, { ...e.context, ...ctx });
  return printable(`sigma: ${describe(e, path, ctx)}`);
}

function describe(e: unknown, path: string | undefined, ctx: ErrorContext): string {
  const where = (s: string | undefined) => (s ? `${s}: ` : "");
  if (!isSigmaError(e)) return `${where(path)}${errorText(e)}`;
  if (isErr(e, ErrCode.Unreachable) && e.obj === "no mount") {
    const mounts = ctx.mounts?.map((m) => `${m}/`).join(", ");
    const hint = mounts ? ` (paths start with a mount point: ${mounts})` : "";
    return `${where(path)}not under a mount${hint}`;
  }
  const what = describeErrorCode(e.code);
  const detail = detailOf(e.message, what, [e.obj, path]);
  const cause = isErr(e, ErrCode.Unreachable) ? causeText(e.cause, [e.obj, path]) : "";
  const extra = [detail, cause].filter((s) => s !== "").join(": ");
  return `${where(path ?? e.obj)}${what}${extra ? ` (${extra})` : ""}`;
}

/**
 * What a message says beyond its code's description and the object it names: for
 * `protocol mismatch: 127.0.0.1:5: client speaks sigmap/aa, server speaks sigmap/bb`, the part
 * after the address. Nothing when it only restates them.
 */
function detailOf(message: string, what: string, names: (string | undefined)[]): string {
  let rest = message;
  if (rest === what) return "";
  if (rest.startsWith(`${what}: `)) rest = rest.slice(what.length + 2);
  for (const n of names) {
    if (!n) continue;
    if (rest === n) return "";
    if (rest.startsWith(`${n}: `)) rest = rest.slice(n.length + 2);
  }
  return rest;
}

/** The reason behind an Unreachable, when the last dial said one (`connect ECONNREFUSED …`). */
function causeText(cause: unknown, names: (string | undefined)[]): string {
  if (isSigmaError(cause)) {
    return detailOf(cause.message, describeErrorCode(cause.code), [cause.obj, ...names]);
  }
  return cause instanceof Error ? cause.message : "";
}
