/**
 * `npm run bench -- [suite...] [--json FILE] [--smoke] [--check]`: runs benchmark suites from
 * bench/suites/ and prints one table per suite. Exit status is 1 when a suite fails to run, and
 * with `--check` 3 when a full run missed a target (see docs/benchmarks.md).
 */
import { Command, InvalidArgumentError } from "commander";
import { describeMisses, EXIT, exitStatus, missedTargets } from "./lib/check.js";
import { writeJsonReport } from "./lib/json.js";
import { listSuites } from "./lib/registry.js";
import { runSuites } from "./lib/run-suites.js";
import { renderTable } from "./lib/table.js";
import type { Timing } from "./lib/timing.js";

interface CliOptions {
  json?: string;
  smoke?: boolean;
  check?: boolean;
  list?: boolean;
  roundMs?: number;
  rounds?: number;
  quiet?: boolean;
}

const program = new Command()
  .name("bench")
  .description(
    "Side-by-side benchmarks; every case is measured against its baseline in the same run.",
  )
  .argument("[suites...]", "suites to run (default: all)")
  .option("--json <file>", "write results as JSON (an object for one suite, an array for several)")
  .option(
    "--smoke",
    "run every case for a fraction of a second (CI: keeps benchmarks from rotting)",
  )
  .option(
    "--check",
    "exit with status 3 when a full run misses a target (smoke runs are never checked)",
  )
  .option("--list", "list suites and exit")
  .option("--round-ms <ms>", "length of one measured round per side", positiveInt)
  .option("--rounds <n>", "measured rounds per side", positiveInt)
  .option("-q, --quiet", "no progress lines on stderr")
  .action(main);

try {
  await program.parseAsync();
} catch (e) {
  // Usage errors (an unknown suite) deserve one line, not a stack trace.
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = EXIT.usage;
}

async function main(names: string[], opts: CliOptions): Promise<void> {
  if (opts.list) {
    console.log((await listSuites()).join("\n"));
    return;
  }
  const timing: Partial<Timing> = {};
  if (opts.roundMs !== undefined) timing.roundMs = opts.roundMs;
  if (opts.rounds !== undefined) timing.rounds = opts.rounds;

  const reports = await runSuites({
    names,
    smoke: opts.smoke === true,
    timing,
    log: opts.quiet ? () => {} : (m) => console.error(m),
    onReport: (r) => console.log(`${renderTable(r)}\n`),
  });
  if (opts.json !== undefined) await writeJsonReport(opts.json, reports);
  const check = opts.check === true;
  if (check && opts.smoke === true) {
    console.error("bench: --check ignored for --smoke: smoke numbers are not meaningful");
  }
  const misses = check ? missedTargets(reports) : [];
  if (misses.length > 0) {
    console.error(`bench: ${misses.length} target(s) missed:`);
    for (const line of describeMisses(misses)) console.error(`  ${line}`);
  }
  process.exitCode = exitStatus(reports, check);
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
  return n;
}
