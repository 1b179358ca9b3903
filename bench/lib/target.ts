/**
 * Targets a case must meet, checked either on its ratio to the baseline or on its own value
 * (e.g. "full regeneration under 1500 ms"). A miss is reported, never fatal: these machines are
 * noisy, and the runner's job is to show numbers, not to gate CI.
 */

export type TargetOp = ">=" | ">" | "<=" | "<";

export interface Target {
  /** What is compared: the baseline ratio or the case's value in its own unit. */
  of: "ratio" | "value";
  op: TargetOp;
  bound: number;
}

export function ratioAtLeast(bound: number): Target {
  return { of: "ratio", op: ">=", bound };
}

export function valueBelow(bound: number): Target {
  return { of: "value", op: "<", bound };
}

export function valueAtLeast(bound: number): Target {
  return { of: "value", op: ">=", bound };
}

/** Null when the compared quantity is missing (e.g. a ratio target on a row without baseline). */
export function meetsTarget(target: Target, value: number, ratio: number | null): boolean | null {
  const x = target.of === "ratio" ? ratio : value;
  if (x === null || !isFinite(x)) return null;
  switch (target.op) {
    case ">=":
      return x >= target.bound;
    case ">":
      return x > target.bound;
    case "<=":
      return x <= target.bound;
    case "<":
      return x < target.bound;
  }
}

export function describeTarget(target: Target): string {
  const op = { ">=": "≥", ">": ">", "<=": "≤", "<": "<" }[target.op];
  return `${target.of} ${op} ${target.bound}`;
}
