/**
 * A proc's exit status (spec 9): what `waitExit` returns and what the proc leaves in its parent's
 * `exit-status` file, as JSON.
 */

/** How a proc ended: it said so (OK), it was evicted, or it failed or crashed (Err). */
export const StatusCode = { OK: 1, Evicted: 2, Err: 3 } as const;
/** One of {@link StatusCode}'s values. */
export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];

/** A proc's exit status: a code, a message and optional JSON data. */
export interface Status {
  code: StatusCode;
  message: string;
  data?: unknown;
}

/** An OK status. */
export function statusOk(message = "", data?: unknown): Status {
  return withData({ code: StatusCode.OK, message }, data);
}

/** An Evicted status. */
export function statusEvicted(message = "evicted", data?: unknown): Status {
  return withData({ code: StatusCode.Evicted, message }, data);
}

/** An Err status. */
export function statusErr(message: string, data?: unknown): Status {
  return withData({ code: StatusCode.Err, message }, data);
}

/** The code's name: `OK`, `Evicted` or `Err`. */
export function statusName(code: StatusCode): string {
  return code === StatusCode.OK ? "OK" : code === StatusCode.Evicted ? "Evicted" : "Err";
}

/** Checks a value read back from JSON; anything malformed becomes an Err status saying so. */
export function toStatus(v: unknown): Status {
  if (typeof v === "object" && v !== null) {
    const { code, message, data } = v as Record<string, unknown>;
    if ((code === 1 || code === 2 || code === 3) && typeof message === "string") {
      return withData({ code, message }, data);
    }
  }
  return statusErr(`malformed exit status: ${JSON.stringify(v)}`);
}

function withData(s: Status, data: unknown): Status {
  return data === undefined ? s : { ...s, data };
}
