/**
 * lincheck suite: how fast the linearizability checker (verify/lincheck) checks histories shaped
 * like chaos runs record them. The bounds: 100,000 ops over 1,000 paths from 16 clients,
 * and one path under 8 concurrent clients with 2,000 ops, each in under 5 s. No baseline: no
 * JS checker exists to hold it against (porcupine is Go). Each history is checked once untimed
 * first, and must come out linearizable: a checker that says "no" fast is no result. The one-path
 * case has no unknown outcomes: a dozen unknown writes lingering on one hot path make the search
 * exponential (as in porcupine), which docs/verification.md states as a limit.
 */
import { checkHistory, type History } from "../../verify/lincheck/index.js";
import type { Suite, SuiteContext } from "../lib/suite.js";
import { valueBelow } from "../lib/target.js";
import { recordedHistory, type HistoryShape } from "./lincheck/recorded-history.js";

const BOUND_MS = 5000;

export const suite: Suite = {
  name: "lincheck",
  description: "linearizability checker: ops/s and wall time on recorded-shape histories",
  run: async (ctx) => {
    const scale = ctx.smoke ? 10 : 1;
    await checkCase(ctx, "lincheck-many-paths", {
      ops: 100_000 / scale,
      paths: 1000 / scale,
      clients: 16,
      seed: 1,
    });
    await checkCase(ctx, "lincheck-one-path", {
      ops: 2000 / scale,
      paths: 1,
      clients: 8,
      seed: 2,
      unknownRate: 0,
    });
  },
};

async function checkCase(ctx: SuiteContext, name: string, shape: HistoryShape): Promise<void> {
  const history = recordedHistory(shape);
  const first = checkHistory(history);
  if (!first.ok)
    throw new Error(`${name}: a linearizable history was refused on ${first.violations[0]?.path}`);
  const runs = ctx.smoke ? 1 : 5;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(timeCheck(history));
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)] as number;
  const what = `${shape.ops} ops, ${shape.paths} path(s), ${shape.clients} clients, ${first.unknown} unknown`;
  ctx.record({
    name: `${name}-time`,
    value: ms,
    unit: "ms",
    target: valueBelow(BOUND_MS),
    note: `${what}; median of ${runs}`,
  });
  ctx.record({
    name: `${name}-rate`,
    value: (shape.ops / ms) * 1000,
    unit: "ops/s",
    note: `ops checked per second, ${what}`,
  });
  await Promise.resolve();
}

function timeCheck(history: History): number {
  const t0 = performance.now();
  checkHistory(history);
  return performance.now() - t0;
}
