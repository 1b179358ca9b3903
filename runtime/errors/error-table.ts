/**
 * The error-code table. Codes are schema data, so the runtime does not know them until generated
 * code registers its table; before that, and for codes a newer peer invented, a code still
 * describes itself as `error <code>`.
 */

/** How soon a caller may retry after an error (spec 5). */
export type RetryClassName = "library" | "caller" | "unknown" | "final";

export interface ErrorCodeInfo {
  readonly code: number;
  readonly name: string;
  readonly description: string;
  readonly retry: RetryClassName;
}

const table = new Map<number, ErrorCodeInfo>();

/** Adds a schema's error codes; registering the same table again is harmless. */
export function registerErrorCodes(codes: readonly ErrorCodeInfo[]): void {
  for (const info of codes) table.set(info.code, info);
}

/** The registered entry for a code, if any. */
export function errorCodeInfo(code: number): ErrorCodeInfo | undefined {
  return table.get(code);
}

/** The code's description, e.g. `not found`. */
export function describeErrorCode(code: number): string {
  return table.get(code)?.description ?? `error ${code}`;
}
