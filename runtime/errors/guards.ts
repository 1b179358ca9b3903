import { SigmaError } from "./sigma-error.js";

/**
 * Guards instead of `instanceof` chains. The structural check also accepts a SigmaError from a
 * second copy of this module (two bundles, a worker), which `instanceof` would reject.
 */
export function isSigmaError(e: unknown): e is SigmaError {
  if (e instanceof SigmaError) return true;
  if (!(e instanceof Error) || e.name !== "SigmaError") return false;
  const fields = e as Error & { code?: unknown; obj?: unknown };
  return typeof fields.code === "number" && typeof fields.obj === "string";
}

/** Whether `e` is a SigmaError with this code. */
export function isErr(e: unknown, code: number): e is SigmaError {
  return isSigmaError(e) && e.code === code;
}
