/**
 * `npm run chaos -- [--store memfs] [--seconds N] [--clients N] [--faults cut,pause] [--seed N]
 * [--out DIR] [--failpoints name,...]`: see docs/verification.md. Exit 0 when every check passed, 1 when one failed,
 * 64 on bad usage.
 */
import { Command, InvalidArgumentError } from "commander";
import { parseFailpoints } from "../../runtime/failpoints.js";
import { CHAOS_DEFAULTS, refuseOptions, runChaos, type ChaosOptions } from "./run.js";

const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new InvalidArgumentError("expected a non-negative integer");
  return n;
};

const failpoints = (v: string): string => {
  try {
    parseFailpoints(v);
    return v;
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

const d = CHAOS_DEFAULTS;
const program = new Command("chaos")
  .description("run clients against a store under seeded faults; check the recorded history")
  .option("--store <name>", "the store to start (memfs, etcd)", d.store)
  .option("--seconds <n>", "how long the clients run", int, d.seconds)
  .option("--clients <n>", "concurrent clients", int, d.clients)
  .option(
    "--faults <list>",
    "faults to inject (cut, pause, kill, etcd-kill, partition), comma-separated; '' for none",
    d.faults.join(","),
  )
  .option("--seed <n>", "seed of the fault schedule and the clients' choices", int, d.seed)
  .option("--out <dir>", "write history.json (and history.html when not linearizable) here")
  .option("--paths <n>", "paths the clients share", int, d.paths)
  .option("--min-ops <n>", "fail when fewer ops completed", int, d.minOps)
  .option("--failpoints <list>", "plant bugs in the store (SIGMA_FAILPOINTS' names)", failpoints)
  .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 64));

program.parse();
const f = program.opts<
  Omit<ChaosOptions, "faults" | "failpoints"> & { faults: string; failpoints?: string }
>();
const opts: ChaosOptions = {
  ...d,
  ...f,
  faults: f.faults.split(",").filter((x) => x !== ""),
  failpoints: f.failpoints ?? process.env.SIGMA_FAILPOINTS ?? "",
};
const refused = refuseOptions(opts);
if (refused !== null) {
  console.error(`chaos: ${refused}`);
  process.exit(64);
}
const result = await runChaos(opts);
for (const p of result.problems) console.log(`  ${p}`);
console.log(result.summary);
process.exit(result.ok ? 0 : 1);
