/**
 * Codec suite: the generated codec against msgpackr on the equivalent plain object, in the same
 * run. Ours packs positional arrays and validates while decoding; the baseline packs keyed maps
 * and validates nothing, so the target (1.2×) says the generated code earns its keep. The
 * dispatch cases hold the runtime's descriptor lookup against the generated switch it replaced.
 */
import { isDeepStrictEqual } from "node:util";
import type { Suite, SuiteContext } from "../lib/suite.js";
import { ratioAtLeast, valueBelow } from "../lib/target.js";
import { dispatchCases } from "./codec/dispatch-cases.js";
import { fenceRuleCases } from "./codec/fence-rule.js";
import { timeGeneration } from "./codec/gen-time.js";
import { rread, rwalk, tgetfile, twalk } from "./codec/messages.js";
import {
  getfileOurs,
  getfileViaJson,
  jsonReady,
  viaJson,
  viaMsgpackr,
  walkOurs,
  type Exchange,
} from "./codec/round-trips.js";

const CODEC_TARGET = ratioAtLeast(1.2);
const GEN_TARGET = valueBelow(1500);

export const suite: Suite = {
  name: "codec",
  description: "generated codec vs msgpackr on plain objects; sigma gen wall time",
  run: async (ctx) => {
    await walkCases(ctx);
    await getfileCases(ctx);
    await dispatchCases(ctx);
    await fenceRuleCases(ctx);
    await genCases(ctx);
  },
};

async function walkCases(ctx: SuiteContext): Promise<void> {
  const walk = { req: twalk, rep: rwalk };
  expectRoundTrip("codec-walk", walkOurs(walk), walk);
  await ctx.compare({
    name: "codec-walk",
    unit: "ops/s",
    run: () => walkOurs(walk),
    baseline: { name: "msgpackr", run: () => viaMsgpackr(walk) },
    target: CODEC_TARGET,
    note: "Twalk + Rwalk (5 names, 5 qids), encode + decode",
  });
  const json = { req: jsonReady(twalk), rep: jsonReady(rwalk) };
  await ctx.measure({
    name: "codec-walk-json",
    unit: "ops/s",
    run: () => viaJson(json),
    note: "JSON.stringify + parse, same objects (u64 as number)",
  });
}

async function getfileCases(ctx: SuiteContext): Promise<void> {
  const getfile = { req: tgetfile, rep: rread };
  expectRoundTrip("codec-getfile", getfileOurs(getfile), getfile);
  await ctx.compare({
    name: "codec-getfile",
    unit: "ops/s",
    run: () => getfileOurs(getfile),
    baseline: { name: "msgpackr", run: () => viaMsgpackr(getfile) },
    target: CODEC_TARGET,
    note: "Tgetfile + 4 KiB Rread, encode + decode (payload copied once)",
  });
  const json = { req: jsonReady(tgetfile), rep: rread };
  await ctx.measure({
    name: "codec-getfile-json",
    unit: "ops/s",
    run: () => getfileViaJson(json),
    note: "JSON.stringify + parse, data as base64",
  });
}

async function genCases(ctx: SuiteContext): Promise<void> {
  ctx.log("sigma gen (in process, write: false)");
  const runs = ctx.smoke ? 1 : 5;
  const t = await timeGeneration(runs);
  const note = `median of ${runs}`;
  ctx.record({ name: "gen-first-call", value: t.firstMs, unit: "ms", target: GEN_TARGET });
  ctx.record({ name: "gen-prettier", value: t.prettierMs, unit: "ms", target: GEN_TARGET, note });
  ctx.record({ name: "gen-no-prettier", value: t.plainMs, unit: "ms", target: GEN_TARGET, note });
}

/** A broken codec would be fast and wrong; refuse to time it. */
function expectRoundTrip<Req, Rep>(
  name: string,
  got: Exchange<Req, Rep>,
  want: Exchange<Req, Rep>,
): void {
  if (!isDeepStrictEqual(got, want)) {
    throw new Error(`${name}: round trip changed the message`);
  }
}
