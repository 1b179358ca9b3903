/**
 * `npm run sim -- [--seeds A..B | --seed N] [--servers N] [--clients N] [--ops N] [--paths N] [--drop P]
 * [--duplicate P] [--failpoints name,...] [--first-failure] [--out DIR]`: the deterministic
 * simulation (docs/verification.md). Exit 0 when every seed passed, 1 when one failed, 64 on
 * bad usage.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { parseFailpoints } from "../../runtime/failpoints.js";
import { replayCommand } from "./replay.js";
import { runSeed, SIM_DEFAULTS, type SimOptions } from "./run-seed.js";
import { parseSeeds } from "./seeds.js";

const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("expected an integer ≥ 1");
  return n;
};
const chance = (v: string): number => {
  const p = Number(v);
  if (!(p >= 0 && p < 1)) throw new InvalidArgumentError("expected a probability in [0, 1)");
  return p;
};
const seeds = (v: string): number[] => {
  try {
    return parseSeeds(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};
const failpoints = (v: string): string => {
  try {
    parseFailpoints(v);
    return v;
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

const d = SIM_DEFAULTS;
const program = new Command("sim")
  .description("simulate the session layer, protsrv and memfs under seeded faults; check each seed")
  .option("--seeds <A..B>", "the seeds to run", seeds, [1])
  .option("--seed <n>", "run this one seed (same as --seeds N..N)", int)
  .option("--servers <n>", "file servers (each client has a session to each)", int, d.servers)
  .option("--clients <n>", "simulated clients", int, d.clients)
  .option("--ops <n>", "ops per client", int, d.ops)
  .option("--paths <n>", "paths the clients share", int, d.paths)
  .option("--drop <p>", "chance a frame is lost (its connection breaks)", chance, d.net.drop)
  .option("--duplicate <p>", "chance a frame arrives twice", chance, d.net.duplicate)
  .option("--failpoints <list>", "plant bugs (SIGMA_FAILPOINTS' names)", failpoints)
  .option("--first-failure", "stop at the first failing seed")
  .option("--out <dir>", "write seed-N.json (the history) for every failing seed, or for --seed")
  .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 64));

interface Flags {
  seeds: number[];
  seed?: number;
  servers: number;
  clients: number;
  ops: number;
  paths: number;
  drop: number;
  duplicate: number;
  failpoints?: string;
  firstFailure?: boolean;
  out?: string;
}

program.parse();
const f = program.opts<Flags>();
const list = f.seed !== undefined ? [f.seed] : f.seeds;
const base: Omit<SimOptions, "seed"> = {
  ...d,
  servers: f.servers,
  clients: f.clients,
  ops: f.ops,
  paths: f.paths,
  failpoints: f.failpoints ?? process.env.SIGMA_FAILPOINTS ?? "",
  net: { ...d.net, drop: f.drop, duplicate: f.duplicate },
};
const started = performance.now();
let failed = 0;
let ran = 0;
for (const seed of list) {
  const o = { ...base, seed };
  const r = await runSeed(o);
  ran++;
  const save = f.out !== undefined && (!r.ok || f.seed !== undefined);
  if (save) {
    await mkdir(f.out as string, { recursive: true });
    await writeFile(path.join(f.out as string, `seed-${seed}.json`), r.history + "\n");
  }
  if (!r.ok) {
    failed++;
    for (const p of r.problems) console.log(`  ${p}`);
    console.log(r.summary);
    console.log(`  replay: ${replayCommand(o, f.out)}`);
    if (f.firstFailure === true) break;
  } else if (list.length === 1) {
    console.log(r.summary);
  }
}
const ms = Math.round(performance.now() - started);
console.log(`sim: ${ran} seeds, ${ran - failed} passed, ${failed} failed, ${ms} ms`);
process.exit(failed === 0 ? 0 : 1);
