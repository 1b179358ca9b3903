/**
 * Targets a case must meet, checked either on its ratio to the baseline or on its own value
 * (e.g. "full regeneration under 1500 ms"), as one bound or as a range (a hand-over must take at
 * least the session timeout and not much more). A miss shows in the table and JSON; with
 * `--check` a full run exits non-zero on one (check.ts). Smoke runs are never checked.
 */

export type TargetOp = ">=" | ">" | "<=" | "<";

/** What a target compares: the baseline ratio or the case's value in its own unit. */
export type TargetOf = "ratio" | "value";

/** One bound: `of op bound`. */
export interface BoundTarget {
  of: TargetOf;
  op: TargetOp;
  bound: number;
}

/** A closed range: `min <= of <= max`. */
export interface RangeTarget {
  of: TargetOf;
  min: number;
  max: number;
}

export type Target = BoundTarget | RangeTarget;

export function ratioAtLeast(bound: number): Target {
  return { of: "ratio", op: ">=", bound };
}

export function valueBelow(bound: number): Target {
  return { of: "value", op: "<", bound };
}

export function valueAtLeast(bound: number): Target {
  return { of: "value", op: ">=", bound };
}

/** The value lies in [min, max], both included. */
export function valueBetween(min: number, max: number): Target {
  if (!(min <= max)) throw new Error(`valueBetween: empty range [${min}, ${max}]`);
  return { of: "value", min, max };
}

/** Null when the compared quantity is missing (e.g. a ratio target on a row without baseline). */
export function meetsTarget(target: Target, value: number, ratio: number | null): boolean | null {
  const x = target.of === "ratio" ? ratio : value;
  if (x === null || !isFinite(x)) return null;
  if (isRange(target)) return target.min <= x && x <= target.max;
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
  if (isRange(target)) return `${target.of} in [${target.min}, ${target.max}]`;
  const op = { ">=": "≥", ">": ">", "<=": "≤", "<": "<" }[target.op];
  return `${target.of} ${op} ${target.bound}`;
}

function isRange(target: Target): target is RangeTarget {
  return "min" in target;
}
