/**
 * The file commands' bundled entry (scripts/bundle-cli.ts, run by `npm run build`): one module
 * that runs `sigma ls` and reports failures as the modules do, without loading any other file of
 * the project. Built here into a temporary folder, as the build writes it into dist/bin/.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNamed, type Named } from "../../servers/named/index.js";
import { ROOT, shell } from "./run-cli.js";

let dir: string;
let named: Named;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sigma-bundle-"));
  const built = await shell(`npx tsx scripts/bundle-cli.ts ${dir}/sigma-client.js`);
  expect(built.stderr).toBe("");
  expect(built.code).toBe(0);
  await writeFile(
    path.join(dir, "run.mjs"),
    'import { runSigma } from "./sigma-client.js";\n' +
      "process.exitCode = await runSigma(process.argv.slice(2), process);\n",
  );
  named = await startNamed();
}, 60_000);

afterAll(async () => {
  await named?.close();
  await rm(dir, { recursive: true, force: true });
});

/** `sigma ARGS` from the bundle, with the module URLs the run resolved. */
async function bundled(
  args: string,
): Promise<{ code: number; out: string; err: string; urls: string[] }> {
  const log = path.join(dir, "imports.log");
  await rm(log, { force: true });
  const hook = path.join(ROOT, "tests/cli/fixtures/import-log.mjs");
  const r = await shell(`node --import ${hook} ${dir}/run.mjs ${args}`, { IMPORT_LOG: log });
  const urls = (await readFile(log, "utf8")).trim().split("\n");
  return { code: r.code, out: r.stdout, err: r.stderr, urls };
}

describe("bundled client entry", () => {
  it("lists a directory loading no module but itself", async () => {
    const r = await bundled(`ls name/ --named ${named.addr}`);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out.split("\n")).toContain("tmp/");
    const files = r.urls.filter((u) => u.startsWith("file:")).map((u) => path.basename(u));
    expect(files).toEqual(["run.mjs", "sigma-client.js"]);
  });

  it("reports a failure as the modules do: one line, exit 1", async () => {
    const r = await bundled(`ls name/no-such-dir --named ${named.addr}`);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe("sigma: name/no-such-dir: not found\n");
  });
});
