/**
 * The smallest window of one path's ops that cannot be ordered, found in two cuts that each keep
 * the window non-linearizable:
 * 1. the end: the shortest prefix of the history (in time) that already fails, where ops still
 *    running at its end count as unknown outcomes (a prefix of a linearizable history is
 *    linearizable, so this is sound);
 * 2. the start: the latest quiescent point (every earlier known op has returned) from which the
 *    rest still fails when the file may hold anything there (model.ts `Unknown`).
 * Both are binary searches over a monotone property, each probe one bounded search.
 */
import type { Op } from "./history.js";
import { Unknown } from "./model.js";
import { searchPath } from "./search.js";

/** Steps one probe of the start cut may take; a probe that gives up counts as linearizable. */
const PROBE_BUDGET = 200_000;

export interface Window {
  /** History indices of the window's ops, ascending. */
  ops: number[];
  /** The longest order of the window's ops the model accepts (history indices). */
  longest: number[];
}

/** `ops`: one path's ops, known not to be linearizable from an absent file. */
export function smallestWindow(ops: readonly Op[]): Window {
  const prefix = shortestFailingPrefix(ops);
  const start = latestFailingStart(prefix);
  const window = start.ops;
  const ids = window.map((o) => o.index).sort((a, b) => a - b);
  return { ops: ids, longest: start.longest };
}

function shortestFailingPrefix(ops: readonly Op[]): Op[] {
  const ends = [...new Set(ops.flatMap((o) => (o.ret === null ? [] : [o.ret])))].sort(
    (a, b) => a - b,
  );
  let lo = 0;
  let hi = ends.length - 1; // the whole history fails
  let best = ops.slice();
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const p = prefixAt(ops, ends[mid] as number);
    if (searchPath(p).ok === false) {
      best = p;
      hi = mid - 1;
    } else {
      lo = mid + 1;
    }
  }
  return best;
}

/** The ops called by `t`; those that return after `t` become unknown outcomes. */
function prefixAt(ops: readonly Op[], t: number): Op[] {
  return ops
    .filter((o) => o.call <= t)
    .map((o) => (o.ret !== null && o.ret > t ? { ...o, ret: null, output: undefined } : o));
}

function latestFailingStart(prefix: Op[]): { ops: Op[]; longest: number[] } {
  const cuts = quiescentPoints(prefix);
  let best = { ops: prefix, longest: searchPath(prefix).longest };
  let lo = 0;
  let hi = cuts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const w = windowFrom(prefix, cuts[mid] as number);
    const r = searchPath(w, { init: new Unknown("", true), budget: PROBE_BUDGET });
    if (r.ok === false) {
      best = { ops: w, longest: r.longest };
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/** Call times T such that every known op called before T returned before T. */
function quiescentPoints(ops: readonly Op[]): number[] {
  const known = ops.filter((o) => o.ret !== null).sort((a, b) => a.call - b.call);
  const cuts: number[] = [];
  let maxRet = -Infinity;
  for (let i = 0; i < known.length; i++) {
    const o = known[i] as Op;
    if (i > 0 && o.call !== (known[i - 1] as Op).call && maxRet < o.call) cuts.push(o.call);
    maxRet = Math.max(maxRet, o.ret as number);
  }
  return cuts;
}

/** Known ops called at or after `t`, and every unknown op (it may take effect after `t`). */
function windowFrom(ops: readonly Op[], t: number): Op[] {
  return ops.filter((o) => o.ret === null || o.call >= t);
}
