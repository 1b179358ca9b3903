/**
 * The client's fence rule, as FidClient.request reads it (the descriptor's `fenced` flag) against
 * what it replaced (the compiled registry's MessageInfo, looked up by message type per request),
 * over the requests an FsLib call sends most: TwriteV, TreadV, Twalk, Tclunk, Tgetfile, Twriteread.
 */
import * as d from "../../../generated/sigmap/registry.js";
import type { RequestDesc } from "../../../runtime/contract/index.js";
import type { SuiteContext } from "../../lib/suite.js";
import { ratioAtLeast } from "../../lib/target.js";

const DESCS: readonly RequestDesc[] = [
  d.TwriteVDesc,
  d.TreadVDesc,
  d.TwalkDesc,
  d.TclunkDesc,
  d.TgetfileDesc,
  d.TwritereadDesc,
];
const ROUND = 1000;

export async function fenceRuleCases(ctx: SuiteContext): Promise<void> {
  if (countByDesc() !== countByRegistry()) throw new Error("fence rule: the two lookups disagree");
  await ctx.compare({
    name: "fence-rule-descriptor",
    unit: "ops/s",
    run: () => void countByDesc(),
    baseline: { name: "fence-rule-registry", run: () => void countByRegistry() },
    target: ratioAtLeast(1),
    note: `${ROUND} fence decisions over 6 request types per op: desc.fenced vs messageByType`,
  });
}

function countByDesc(): number {
  let n = 0;
  for (let i = 0; i < ROUND; i++) if (DESCS[i % DESCS.length]!.fenced === true) n++;
  return n;
}

function countByRegistry(): number {
  let n = 0;
  for (let i = 0; i < ROUND; i++) {
    if (d.messageByType.get(DESCS[i % DESCS.length]!.type)?.fenced === true) n++;
  }
  return n;
}
