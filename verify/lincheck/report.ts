/** The checker's outputs: the text report, the `--json` object, and one op as a line. */
import type { CheckResult } from "./check.js";
import type { History, Op } from "./history.js";

/** `--json`: exactly `{ ok, paths, ops, violations: [{ path, ops }] }`. */
export function jsonReport(r: CheckResult): string {
  const violations = r.violations.map((v) => ({ path: v.path, ops: v.ops }));
  return JSON.stringify({ ok: r.ok, paths: r.paths, ops: r.ops, violations });
}

export function textReport(r: CheckResult, history: History): string {
  const counts = `${r.ops} ops (${r.unknown} unknown) over ${r.paths} path${r.paths === 1 ? "" : "s"}`;
  if (r.ok) return `lincheck: linearizable: ${counts}\n`;
  const bad = `${r.violations.length} of ${r.paths} path${r.paths === 1 ? "" : "s"}`;
  const lines = [`lincheck: NOT linearizable: ${bad} (${r.ops} ops, ${r.unknown} unknown)`];
  for (const v of r.violations) {
    lines.push(`path ${v.path}: these ${v.ops.length} ops cannot be ordered:`);
    for (const i of v.ops) lines.push(`  ${describeOp(history.ops[i] as Op)}`);
  }
  return lines.join("\n") + "\n";
}

/** `#3 client 1 [1200, 1300] get -> "a"`. */
export function describeOp(o: Op): string {
  const arg = o.value === null ? "" : ` ${JSON.stringify(o.value)}`;
  const out = o.ret === null ? "?" : JSON.stringify(o.output);
  return `#${o.index} client ${o.client} [${o.call}, ${o.ret ?? "…"}] ${o.op}${arg} -> ${out}`;
}
