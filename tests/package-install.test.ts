/**
 * The package as a user gets it (tests/support/packed-app.ts: packed, installed offline into an
 * empty application), without the code generator's optional peers.
 *
 * What must hold: the runtime installs without the code generator's packages, `import("sigmats")`
 * and its entries work, its declarations type-check in a strict project (node10 and nodenext
 * resolution) without any `@types` package but Node's, `sigma ls --help` runs without loading
 * the generator, and `sigma gen` says in one line what to install.
 */
import { execFile } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATOR_PACKAGES, INSTALL_GENERATOR } from "../bin/commands/generator-missing.js";
import { installPackedApp, NPM, type PackedApp } from "./support/packed-app.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..");

let packed: PackedApp | undefined;
let dir: string;
let app: string;

beforeAll(async () => {
  packed = await installPackedApp({ prefix: "sigmats-pack-" });
  ({ dir, app } = packed);
}, 240_000);

afterAll(() => packed?.remove());

async function installedNames(): Promise<string[]> {
  const top = path.join(app, "node_modules");
  const names: string[] = [];
  for (const e of await readdir(top)) {
    if (e.startsWith(".")) continue;
    if (e.startsWith("@"))
      for (const s of await readdir(path.join(top, e))) names.push(`${e}/${s}`);
    else names.push(e);
  }
  return names;
}

async function inApp(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(cmd, args, { cwd: app, env: { ...process.env, DEBUG: "" } });
}

describe("the packed package, installed into an empty application", () => {
  it("holds none of the code generator's packages, and npm finds its tree complete", async () => {
    const names = await installedNames();
    expect(names).toContain("sigmats");
    expect(names).toContain("msgpackr");
    expect(names.filter((n) => (GENERATOR_PACKAGES as readonly string[]).includes(n))).toEqual([]);
    expect(names.filter((n) => n === "@ts-morph/common" || n === "typescript")).toEqual([]);
    await inApp(NPM, ["ls", "--all", "--offline"]); // exits non-zero on a missing dependency
  });

  it("imports sigmats and its entries", async () => {
    const { stdout } = await inApp(process.execPath, [
      "--input-type=module",
      "-e",
      `const m = await import("sigmats");
       const echo = await import("sigmats/services/echo");
       const self = await import("sigmats/proc/self");
       console.log(typeof m.FsLib.connect, typeof m.startNamed, typeof echo.EchoClient, typeof self.procSelf);`,
    ]);
    expect(stdout).toBe("function function function function\n");
  });

  it("type-checks a strict program against its declarations, node10 and nodenext", async () => {
    await writeFile(
      path.join(app, "main.ts"),
      `import { FsLib, Mode, startNamed, type Named } from "sigmats";
export async function hello(named: Named): Promise<Uint8Array> {
  const fsl = await FsLib.connect({ named: [named.addr] });
  await fsl.putFile("name/x", 0o777, Mode.OWRITE, new Uint8Array([1]));
  return fsl.getFile("name/x");
}
export const start: typeof startNamed = startNamed;
`,
    );
    await writeFile(
      path.join(app, "entries.ts"),
      `import { EchoClient, type EchoRequest } from "sigmats/services/echo";
import { RpcClient } from "sigmats/rpc";
import { statusOk } from "sigmats/proc/status";
export const req: EchoRequest = { text: "hi", payload: new Uint8Array() };
export const used = [EchoClient, RpcClient, statusOk];
`,
    );
    const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
    const common = [
      "--strict",
      "--noEmit",
      "--skipLibCheck",
      "false",
      "--target",
      "ES2022",
      "--types",
      "node",
      "--typeRoots",
      path.join(ROOT, "node_modules/@types"),
    ];
    // node10 is deprecated in TypeScript 6 but still what many projects use.
    const node10 = [
      ...["--module", "commonjs", "--moduleResolution", "node10", "--ignoreDeprecations", "6.0"],
      "main.ts",
    ];
    const nodenext = ["--module", "nodenext", "--moduleResolution", "nodenext"];
    for (const args of [node10, [...nodenext, "main.ts", "entries.ts"]]) {
      const r = await inApp(process.execPath, [tsc, ...common, ...args]).catch(
        (e: { stdout: string }) => ({ stdout: e.stdout, stderr: "" }),
      );
      expect(r.stdout, args.join(" ")).toBe("");
    }
  }, 120_000);

  it("runs sigma ls --help without loading the code generator", async () => {
    const log = path.join(dir, "imports.log");
    const hook = path.join(ROOT, "tests/cli/fixtures/import-log.mjs");
    const { stdout } = await run(
      process.execPath,
      ["--import", hook, "node_modules/.bin/sigma", "ls", "--help"],
      { cwd: app, env: { ...process.env, IMPORT_LOG: log } },
    );
    expect(stdout).toMatch(/^Usage: sigma ls /);
    const urls = (await readFile(log, "utf8")).trim().split("\n");
    expect(urls.some((u) => u.includes("/node_modules/sigmats/dist/bin/"))).toBe(true);
    expect(urls.filter((u) => u.includes("/sigmats/dist/codegen/"))).toEqual([]);
    const npx = await inApp("npx", ["--offline", "sigma", "ls", "--help"]);
    expect(npx.stdout).toBe(stdout);
  });

  it("lists the generator's commands and says in one line what sigma gen needs", async () => {
    const help = await inApp("npx", ["--offline", "sigma", "--help"]);
    expect(help.stdout).toMatch(/\n {2}gen .*needs the code generator/);
    const gen = await inApp("npx", ["--offline", "sigma", "gen"]).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(gen.code).toBe(1);
    expect(gen.stderr).toMatch(
      new RegExp(`^sigma: gen needs the code generator \\([^)]+ is not installed\\): `),
    );
    expect(gen.stderr.endsWith(`${INSTALL_GENERATOR}\n`)).toBe(true);
    expect(gen.stderr.split("\n")).toHaveLength(2);
  });
});
