/** Renders one suite's report as a text table (cli-table3) for the terminal. */
import Table from "cli-table3";
import type { CaseResult, SuiteReport } from "./report.js";
import { describeTarget } from "./target.js";
import { unitLabel } from "./units.js";

export function renderTable(report: SuiteReport): string {
  const withLatency = report.cases.some((c) => c.latency !== undefined);
  const withNotes = report.cases.some((c) => c.note !== undefined);
  const withDiffers = report.cases.some((c) => c.baselineDiffers !== undefined);
  const head = ["case", "value", "baseline", "baseline value", "ratio", "target"];
  if (withDiffers) head.push("baseline does other work");
  if (withLatency) head.push("p50 case / base", "p99 case / base");
  if (withNotes) head.push("note");

  const table = new Table({ head, style: { head: [], border: [] } });
  for (const c of report.cases) {
    const row = [
      c.name,
      withUnit(c.value, c),
      c.baseline === null ? "—" : `${c.baseline}${c.baselineDiffers === undefined ? "" : " ≠"}`,
      c.baselineValue === null ? "—" : withUnit(c.baselineValue, c),
      c.ratio === null ? "—" : `${c.ratio.toFixed(2)}×`,
      targetCell(c),
    ];
    if (withDiffers) row.push(c.baselineDiffers ?? "");
    if (withLatency) row.push(latencyCell(c, "p50"), latencyCell(c, "p99"));
    if (withNotes) row.push(c.note ?? "");
    table.push(row);
  }
  const title = `${report.suite}${report.smoke ? " (smoke: numbers not meaningful)" : ""}`;
  const failure = report.error === undefined ? "" : `\nFAILED: ${report.error}`;
  return `${title}\n${table.toString()}${failure}`;
}

/** Four significant digits with grouping: enough to compare, short enough to scan. */
export function formatNumber(x: number): string {
  if (!isFinite(x)) return String(x);
  return new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 }).format(x);
}

function withUnit(x: number, c: CaseResult): string {
  return `${formatNumber(x)} ${unitLabel(c.unit)}`;
}

function targetCell(c: CaseResult): string {
  if (!c.target) return "";
  const verdict = c.pass === true ? "pass" : c.pass === false ? "MISS" : "n/a";
  return `${describeTarget(c.target)}: ${verdict}`;
}

function latencyCell(c: CaseResult, which: "p50" | "p99"): string {
  if (!c.latency) return "";
  const mine = `${formatNumber(c.latency[which])} µs`;
  const base = which === "p50" ? c.latency.baselineP50 : c.latency.baselineP99;
  return base === undefined ? mine : `${mine} / ${formatNumber(base)} µs`;
}
