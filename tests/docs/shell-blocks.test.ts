/**
 * Every runnable `sh` and `console` block of the docs runs against the doc world (named, procd,
 * echo at name/echo; `SIGMA_NAMED` set), in the repository as a reader's clone would be.
 * `npm run -s sigma -- …` is run as its package.json script does (`tsx bin/sigma.ts`), without
 * npm's own start-up; any other npm command is refused, so a block that needs one says `skip`.
 * `sh` blocks run with `sh -e`; in a `console` block each `$ ` command's output (stdout and
 * stderr) must be what the doc shows below it (`...` matches anything, see doc-blocks.ts).
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allBlocks, consoleSteps, outputMatches, ROOT, runnable, where } from "./doc-blocks.js";
import { type DocWorld, startDocWorld } from "./doc-world.js";

const blocks = allBlocks().filter((b) => (b.lang === "sh" || b.lang === "console") && runnable(b));

let world: DocWorld;
beforeAll(async () => {
  world = await startDocWorld();
});
afterAll(() => world?.close());

const NPM_SHIM = `npm() {
  if [ "$1" = run ] && [ "$2" = -s ] && [ "$3" = sigma ]; then
    shift 3; [ "$1" = -- ] && shift
    node --import tsx "$SIGMATS_ROOT/bin/sigma.ts" "$@"
  else
    echo "doc-test: only 'npm run -s sigma -- …' runs in docs; mark this block skip" >&2; return 127
  fi
}
`;

/** Runs `script` in sh with the shim; output of stdout and stderr together. */
function sh(script: string, flags: string[]): Promise<{ code: number; out: string }> {
  const child = spawn("sh", [...flags, "-c", NPM_SHIM + script], {
    cwd: ROOT,
    env: { ...process.env, SIGMA_NAMED: world.addr, SIGMATS_ROOT: ROOT },
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

const MARK = "@@doc-test-step@@";

describe("shell blocks of the docs run", () => {
  for (const b of blocks) {
    it(where(b), async () => {
      const text = world.localize(b.text);
      if (b.lang === "sh") {
        const r = await sh(text, ["-e"]);
        expect(r.code, r.out).toBe(0);
        return;
      }
      const steps = consoleSteps(text);
      const script = steps.map((s) => `echo ${MARK}\n${s.command} 2>&1`).join("\n");
      const r = await sh(`exec 2>&1\n${script}\n`, []);
      const outputs = r.out.split(`${MARK}\n`).slice(1);
      expect(outputs.length, r.out).toBe(steps.length);
      steps.forEach((s, i) => {
        const got = outputs[i] ?? "";
        expect(outputMatches(s.expected, got), `$ ${s.command}\n${got}`).toBe(true);
      });
    });
  }
});
