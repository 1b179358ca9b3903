/**
 * The `files` model: one register per path. A state is the file's content, or null when it does
 * not exist. `Unknown` is a relaxed start state used only to cut a failing history into a small
 * window (window.ts): "some content ending in `suffix`, or (if `absentOk`) no file".
 */
import type { Op } from "./history.js";

export class Unknown {
  constructor(
    readonly suffix: string,
    readonly absentOk: boolean,
  ) {}

  /** True when the file may not exist (so an exclusive create may succeed). */
  get mayBeAbsent(): boolean {
    return this.absentOk && this.suffix === "";
  }
}

export type State = string | null | Unknown;

const NONE: readonly State[] = [];

/**
 * The states `op` may lead to from `state` given its observed output (any output when the outcome
 * is unknown); empty when the output is impossible there. Exact states have one successor at most.
 */
export function successors(state: State, op: Op): readonly State[] {
  if (state instanceof Unknown) return fromUnknown(state, op);
  const out = op.output;
  switch (op.op) {
    case "put":
      return [op.value];
    case "append":
      return [(state ?? "") + (op.value as string)];
    case "get":
      return out === undefined || out === state ? [state] : NONE;
    case "remove":
      if (out === undefined) return [null];
      return (out === "ok") === (state !== null) ? [null] : NONE;
    case "create":
      if (out === undefined) return [state === null ? op.value : state];
      if (out === "ok") return state === null ? [op.value] : NONE;
      return state !== null ? [state] : NONE;
  }
}

function fromUnknown(state: Unknown, op: Op): readonly State[] {
  const out = op.output;
  switch (op.op) {
    case "put":
      return [op.value];
    case "append":
      return [new Unknown(state.suffix + (op.value as string), false)];
    case "get":
      if (out === undefined) return [state];
      if (out === null) return state.mayBeAbsent ? [null] : NONE;
      return out.endsWith(state.suffix) ? [out] : NONE;
    case "remove":
      if (out === "notfound" && !state.mayBeAbsent) return NONE;
      return [null];
    case "create": {
      const made: State[] = state.mayBeAbsent ? [op.value] : [];
      const existed = [new Unknown(state.suffix, false)];
      if (out === undefined) return [...made, ...existed];
      return out === "ok" ? made : existed;
    }
  }
}
