/**
 * Checks a whole history: each path is an independent register, so each is searched on its own
 * (P-compositionality: a history is linearizable iff every path's sub-history is).
 */
import type { History, Op } from "./history.js";
import { searchPath } from "./search.js";
import { smallestWindow } from "./window.js";

export interface Violation {
  path: string;
  /** History indices of the smallest window of ops that cannot be ordered. */
  ops: number[];
  /** The longest order of the window's ops the model accepts. */
  longest: number[];
}

export interface CheckResult {
  ok: boolean;
  paths: number;
  ops: number;
  /** Ops whose outcome is unknown (`return: null`). */
  unknown: number;
  violations: Violation[];
}

export function checkHistory(history: History): CheckResult {
  const byPath = groupByPath(history.ops);
  const violations: Violation[] = [];
  for (const [path, ops] of byPath) {
    if (searchPath(ops).ok) continue;
    violations.push({ path, ...smallestWindow(ops) });
  }
  return {
    ok: violations.length === 0,
    paths: byPath.size,
    ops: history.ops.length,
    unknown: history.ops.filter((o) => o.ret === null).length,
    violations,
  };
}

export function groupByPath(ops: readonly Op[]): Map<string, Op[]> {
  const byPath = new Map<string, Op[]>();
  for (const op of ops) {
    const list = byPath.get(op.path);
    if (list === undefined) byPath.set(op.path, [op]);
    else list.push(op);
  }
  return byPath;
}
