/**
 * `--html`: a self-contained page per failing path (no script, no dependency): one row per client,
 * each op a bar from call to return (to the right edge when its outcome is unknown), the window's
 * ops highlighted, and below it the longest order of the window the model accepts, after which
 * no remaining op can go next. Porcupine's visualisation is the model.
 */
import type { CheckResult } from "./check.js";
import type { History, Op } from "./history.js";
import { describeOp } from "./report.js";

const ROW = 34;
const WIDTH = 1100;
const LEFT = 90;

export function htmlReport(r: CheckResult, history: History): string {
  const sections = r.violations.map((v) => {
    const ops = history.ops.filter((o) => o.path === v.path);
    const inWindow = new Set(v.ops);
    const order = v.longest.map(
      (i, k) => `<li>${k + 1}. ${esc(describeOp(history.ops[i] as Op))}</li>`,
    );
    const rest = v.ops.filter((i) => !v.longest.includes(i));
    return `<section><h2>path ${esc(v.path)}</h2>
<p>${v.ops.length} ops in the smallest window that cannot be ordered (highlighted).</p>
${timeline(ops, inWindow)}
<h3>Longest order accepted</h3><ol>${order.join("") || "<li>(none)</li>"}</ol>
<h3>Then none of these can go next</h3><ul>${rest.map((i) => `<li>${esc(describeOp(history.ops[i] as Op))}</li>`).join("")}</ul></section>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>lincheck: ${r.ok ? "linearizable" : "NOT linearizable"}</title>
<style>body{font:13px system-ui,sans-serif;margin:20px}svg{border:1px solid #ccc;background:#fafafa}
.op rect{fill:#cfd8e3;stroke:#7a8ca3}.op.win rect{fill:#f6b26b;stroke:#b45f06}.op.unknown rect{stroke-dasharray:4 3}
.op text{font:11px monospace;fill:#222}.lane{font:12px monospace;fill:#555}li{font-family:monospace}</style></head>
<body><h1>lincheck: ${r.ok ? "linearizable" : "NOT linearizable"}</h1>
<p>${r.ops} ops (${r.unknown} unknown) over ${r.paths} paths; hover a bar for its op.</p>
${sections.join("\n")}</body></html>
`;
}

function timeline(ops: readonly Op[], inWindow: ReadonlySet<number>): string {
  const clients = [...new Set(ops.map((o) => o.client))].sort((a, b) => a - b);
  const t0 = Math.min(...ops.map((o) => o.call));
  const t1 = Math.max(...ops.map((o) => o.ret ?? o.call)) + 1;
  const x = (t: number) => LEFT + ((t - t0) / (t1 - t0)) * (WIDTH - LEFT - 10);
  const bars = ops.map((o) => {
    const lane = clients.indexOf(o.client);
    const x0 = x(o.call);
    const x1 = o.ret === null ? WIDTH - 10 : Math.max(x(o.ret), x0 + 3);
    const cls = `op${inWindow.has(o.index) ? " win" : ""}${o.ret === null ? " unknown" : ""}`;
    const label = `${o.op}${o.value === null ? "" : " " + o.value}${o.ret === null ? "" : " → " + String(o.output)}`;
    return `<g class="${cls}"><title>${esc(describeOp(o))}</title><rect x="${x0.toFixed(1)}" y="${lane * ROW + 6}" width="${(x1 - x0).toFixed(1)}" height="${ROW - 12}" rx="3"/><text x="${(x0 + 3).toFixed(1)}" y="${lane * ROW + ROW / 2 + 4}">${esc(label.slice(0, 40))}</text></g>`;
  });
  const lanes = clients.map(
    (c, i) => `<text class="lane" x="6" y="${i * ROW + ROW / 2 + 4}">client ${c}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${clients.length * ROW}">${lanes.join("")}${bars.join("")}</svg>`;
}

function esc(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string,
  );
}
