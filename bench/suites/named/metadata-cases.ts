/**
 * stat and create+remove on named, alone: no simple alternative does the same work (a walk, an
 * object created and unlinked), so these rows are informational, with p50/p99.
 */
import type { SuiteContext } from "../../lib/suite.js";
import type { NamedOps } from "./named-ops.js";
import { DEPTH, windowed } from "./windowed.js";

export async function metadataCases(ctx: SuiteContext, ops: NamedOps): Promise<void> {
  const stat = "stat: walk to a new fid, Tstat, Tclunk";
  const createRemove =
    "create+remove: walk to the parent, Tcreate, Tclunk, Tremovefile; fresh names";
  await ctx.measure({
    name: "named-stat-seq",
    unit: "ops/s",
    timeEachOp: true,
    run: ops.stat,
    note: `${stat}; 1 in flight`,
  });
  await ctx.measure({
    name: "named-stat-64",
    unit: "ops/s",
    ...windowed(ops.stat),
    note: `${stat}; ${DEPTH} in flight`,
  });
  await ctx.measure({
    name: "named-create-remove-seq",
    unit: "ops/s",
    timeEachOp: true,
    run: ops.createRemove,
    note: `${createRemove}; 1 in flight`,
  });
  await ctx.measure({
    name: "named-create-remove-64",
    unit: "ops/s",
    ...windowed(ops.createRemove),
    note: `${createRemove}; ${DEPTH} in flight`,
  });
}
