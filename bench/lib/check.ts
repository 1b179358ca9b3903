/**
 * `--check`: what a run's targets add up to. A full run fails on any target that was missed or
 * could not be evaluated (a target with no ratio to judge is not met either); a smoke run is never
 * checked, since its numbers mean nothing. The exit status keeps "a suite broke" (1) apart from
 * "a suite ran and was too slow" (3), so CI can tell them apart.
 */
import type { CaseResult, SuiteReport } from "./report.js";
import { describeTarget, type Target } from "./target.js";

/** Exit statuses of `npm run bench` (2, a usage error, is commander's and run.ts's). */
export const EXIT = { ok: 0, suiteFailed: 1, usage: 2, targetMissed: 3 } as const;

export interface MissedTarget {
  suite: string;
  case: string;
  target: Target;
  value: number;
  ratio: number | null;
  /** false: measured and missed; null: the target could not be evaluated. */
  pass: false | null;
}

/** The targets of full (non-smoke) reports that were not met, in run order. */
export function missedTargets(reports: readonly SuiteReport[]): MissedTarget[] {
  return reports
    .filter((r) => !r.smoke)
    .flatMap((r) =>
      r.cases.filter(isMiss).map((c) => ({
        suite: r.suite,
        case: c.name,
        target: c.target,
        value: c.value,
        ratio: c.ratio,
        pass: c.pass,
      })),
    );
}

/** The run's exit status: a failed suite first, then (with `check`) a missed target. */
export function exitStatus(reports: readonly SuiteReport[], check: boolean): number {
  if (reports.some((r) => r.error !== undefined)) return EXIT.suiteFailed;
  if (check && missedTargets(reports).length > 0) return EXIT.targetMissed;
  return EXIT.ok;
}

/** One line per missed target, for stderr. */
export function describeMisses(misses: readonly MissedTarget[]): string[] {
  return misses.map((m) => {
    const got = m.target.of === "ratio" ? m.ratio : m.value;
    const verdict = m.pass === null ? "could not be evaluated" : `got ${got}`;
    return `${m.suite}/${m.case}: ${describeTarget(m.target)} ${verdict}`;
  });
}

function isMiss(c: CaseResult): c is CaseResult & { target: Target; pass: false | null } {
  return c.target !== undefined && c.pass !== true;
}
