/**
 * cli suite: start-up of the `sigma` command as a user runs it (the compiled dist/, one process
 * per call) against a bare `node -e ''` start-up measured the same way in the same run: spawn to
 * exit. `sigma ls` must stay within 2× of it (the code generator is not loaded for it).
 * Needs `npm run build` first (CI builds before the benchmarks).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startNamed } from "../../servers/named/index.js";
import type { Suite } from "../lib/suite.js";
import { ratioAtLeast } from "../lib/target.js";

const SIGMA = fileURLToPath(new URL("../../dist/bin/sigma.js", import.meta.url));

/** The suite, found by the runner under its file name. */
export const suite: Suite = {
  name: "cli",
  description: "sigma command start-up (compiled) vs node -e start-up",
  run: async (ctx) => {
    if (!existsSync(SIGMA)) throw new Error("dist/bin/sigma.js is missing: run `npm run build`");
    const named = await startNamed();
    ctx.defer(() => named.close());
    const env = { ...process.env, SIGMA_NAMED: named.addr };
    const baseline = { name: "node-e", run: () => run(["-e", ""], env) };

    // Checked once before timing: the command works and lists named's root.
    const listing = await run([SIGMA, "ls", "name/"], env);
    if (!listing.includes("tmp/\n")) throw new Error(`sigma ls name/ printed ${listing}`);

    await ctx.compare({
      name: "cli-ls",
      unit: "ms",
      run: () => run([SIGMA, "ls", "name/"], env),
      baseline,
      target: ratioAtLeast(0.5),
      note: "`node dist/bin/sigma.js ls name/` against an in-process named, spawn → exit",
    });
    await ctx.compare({
      name: "cli-version",
      unit: "ms",
      run: () => run([SIGMA, "--version"], env),
      baseline,
      note: "`sigma --version`: the runner alone, no command loaded",
    });
  },
};

/** Runs `node ARGS` to its end; its stdout, or a failure if it did not exit 0. */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`node ${args.join(" ")} exited ${code}`)),
    );
  });
}
