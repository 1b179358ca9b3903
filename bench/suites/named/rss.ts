/**
 * named's resident memory holding many small files: the runner creates them with putFile (64 in
 * flight) and named's process reports its own memory over the control channel, before and after,
 * each time after full collections. The per-file cost is the difference over the count.
 */
import { Mode } from "../../../generated/sigmap/types.js";
import type { FsLib } from "../../../runtime/client/fslib/fslib.js";
import type { ControlClient } from "../../lib/control-client.js";
import type { SuiteContext } from "../../lib/suite.js";
import { memoryUse } from "./memory-report.js";
import { FILE_BYTES } from "./named-ops.js";
import { windowed } from "./windowed.js";

const FULL_FILES = 100_000;
const SMOKE_FILES = 2_000;
const MIB = 2 ** 20;

export async function rssCase(ctx: SuiteContext, fsl: FsLib, named: ControlClient): Promise<void> {
  const files = ctx.smoke ? SMOKE_FILES : FULL_FILES;
  const dir = "name/tmp/rss";
  await fsl.mkDir(dir, 0o755);
  const data = Buffer.alloc(FILE_BYTES, 0x33);
  const before = await memoryUse(named);

  let next = 0;
  const fill = windowed(() => fsl.putFile(`${dir}/f${next++}`, 0o644, Mode.OWRITE, data));
  ctx.log(`creating ${files} files of ${FILE_BYTES} B`);
  const t0 = performance.now();
  for (let i = 0; i < files; i++) await fill.run();
  await fill.settle();
  const seconds = (performance.now() - t0) / 1000;
  const last = await fsl.getFile(`${dir}/f${files - 1}`);
  if (last.length !== FILE_BYTES) throw new Error(`file ${files - 1} holds ${last.length} B`);

  const after = await memoryUse(named);
  const perFile = (key: "rss" | "heapUsed" | "arrayBuffers"): number =>
    Math.round((after[key] - before[key]) / files);
  ctx.record({
    name: `named-rss-${files / 1000}k-files`,
    value: after.rss / MIB,
    unit: "MiB",
    note:
      `${ctx.smoke ? "smoke: " : ""}named's RSS holding ${files} files of ${FILE_BYTES} B ` +
      `(${(before.rss / MIB).toFixed(1)} MiB before), per file: ${perFile("rss")} B RSS, ` +
      `${perFile("heapUsed")} B JS heap, ${perFile("arrayBuffers")} B ArrayBuffers` +
      `${after.collected ? ", after gc" : ", no gc (run without --expose-gc)"}`,
  });
  ctx.record({
    name: "named-putfile-create-64",
    value: files / seconds,
    unit: "ops/s",
    note: `the fill above: putFile of ${files} new files, 64 in flight`,
  });
}
