/**
 * The leading replica's resident memory holding many small files (informational): its cache
 * holds every object and its content. 64 clients fill 64 directories, so that creates in flight
 * touch different parent keys and share transactions. RSS is read from /proc (no gc forced);
 * memfs named's is the `named` suite's named-rss row.
 */
import { readFileSync } from "node:fs";
import { Mode } from "../../../generated/sigmap/types.js";
import type { FsLib } from "../../../runtime/client/fslib/fslib.js";
import type { SuiteContext } from "../../lib/suite.js";
import { FILE_BYTES } from "../named/named-ops.js";
import { DEPTH, windowed } from "../named/windowed.js";

const FULL_FILES = 100_000;
const SMOKE_FILES = 2_000;
const MIB = 2 ** 20;

export async function rssCase(ctx: SuiteContext, clients: FsLib[], pid: number): Promise<void> {
  const files = ctx.smoke ? SMOKE_FILES : FULL_FILES;
  const dirs = clients.map((_, i) => `name/tmp/rss${i}`);
  for (const d of dirs) await clients[0]!.mkDir(d, 0o755);
  const data = Buffer.alloc(FILE_BYTES, 0x33);
  const before = rssOf(pid);
  let next = 0;
  const fill = windowed(() => {
    const j = next++;
    const c = j % clients.length;
    return clients[c]!.putFile(`${dirs[c]}/f${j}`, 0o644, Mode.OWRITE, data);
  }, DEPTH);
  ctx.log(`creating ${files} files of ${FILE_BYTES} B on named-etcd`);
  const t0 = performance.now();
  for (let i = 0; i < files; i++) await fill.run();
  await fill.settle();
  const seconds = (performance.now() - t0) / 1000;
  const after = rssOf(pid);
  ctx.record({
    name: `named-etcd-rss-${files / 1000}k-files`,
    value: after / MIB,
    unit: "MiB",
    note:
      `${ctx.smoke ? "smoke: " : ""}the leader's RSS holding ${files} files of ${FILE_BYTES} B ` +
      `(${(before / MIB).toFixed(1)} MiB before), ${Math.round((after - before) / files)} B per file, no gc`,
  });
  ctx.record({
    name: "named-etcd-create-64",
    value: files / seconds,
    unit: "ops/s",
    note: `the fill above: putFile of ${files} new files, ${DEPTH} clients in ${DEPTH} directories`,
  });
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (m === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}
