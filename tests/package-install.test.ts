/**
 * The package as a user gets it: `npm pack` of a copy of the repository (which builds dist/ on
 * `prepare`, as a git install does), installed into an empty application without the network.
 * The application's lockfile is the repository's own resolution of sigmats' dependencies, so the
 * tarballs come from the local npm cache; `npm ls` then checks the tree against every manifest in
 * it, so a dependency the package needs but the lockfile left out would fail the test.
 *
 * What must hold: the runtime installs without the code generator's packages, `import("sigmats")`
 * and its entries work, its declarations type-check in a strict project (node10 and nodenext
 * resolution) without any `@types` package but Node's, `sigma ls --help` runs without loading
 * the generator, and `sigma gen` says in one line what to install.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATOR_PACKAGES, INSTALL_GENERATOR } from "../bin/commands/generator-missing.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** What the build reads: the manifest, the compiler settings and the sources of dist/. */
const BUILD_INPUTS = [
  "package.json",
  "package-lock.json",
  "LICENSE",
  "README.md",
  "tsconfig.json",
  "tsconfig.build.json",
  "index.ts",
  "bin",
  "codegen",
  "generated",
  "runtime",
  "schema",
  "servers",
  "verify",
];

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

interface Manifest extends LockEntry {
  name: string;
  bin?: Record<string, string>;
  license?: string;
  engines?: Record<string, string>;
}

let dir: string;
let app: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sigmats-pack-"));
  const repo = path.join(dir, "repo");
  for (const f of BUILD_INPUTS) {
    await cp(path.join(ROOT, f), path.join(repo, f), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}node_modules`),
    });
  }
  await symlink(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"));
  // npm pack runs `prepare`, which builds dist/ in the copy: what a git install does.
  const packed = await run(NPM, ["pack", "--json", "--pack-destination", dir], {
    cwd: repo,
    maxBuffer: 64 << 20,
  });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  const tarball = path.join(dir, filename);
  app = path.join(dir, "app");
  await mkdir(app);
  await writeAppLock(tarball, repo);
  await run(NPM, ["ci", "--offline", "--no-audit", "--no-fund"], { cwd: app });
}, 240_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * An application that depends on the tarball, with a lockfile holding sigmats and what its
 * manifest requires (dependencies, optional ones, non-optional peers), each resolved as the
 * repository's lockfile resolves it.
 */
async function writeAppLock(tarball: string, repo: string): Promise<void> {
  const repoLock = JSON.parse(await readFile(path.join(repo, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const pkg = JSON.parse(await readFile(path.join(repo, "package.json"), "utf8")) as Manifest;
  const spec = `file:${path.relative(app, tarball)}`;
  const integrity = `sha512-${createHash("sha512")
    .update(await readFile(tarball))
    .digest("base64")}`;
  const packages: Record<string, LockEntry> = {
    "": { name: "app", dependencies: { sigmats: spec } },
    "node_modules/sigmats": {
      version: pkg.version,
      resolved: spec,
      integrity,
      license: pkg.license,
      dependencies: pkg.dependencies,
      peerDependencies: pkg.peerDependencies,
      peerDependenciesMeta: pkg.peerDependenciesMeta,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  const queue = ["node_modules/sigmats"];
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    const entry = packages[at]!;
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const needs = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers[n]?.optional),
    ];
    for (const name of needs) {
      const found = resolveInLock(repoLock.packages, at === "node_modules/sigmats" ? "" : at, name);
      if (found === undefined) {
        if (entry.optionalDependencies?.[name] !== undefined) continue;
        throw new Error(`${at} needs ${name}, which the repository's lockfile does not hold`);
      }
      if (packages[found] !== undefined) continue;
      const {
        dev: _dev,
        devOptional: _devOptional,
        peer: _peer,
        ...rest
      } = repoLock.packages[found]!;
      packages[found] = rest;
      queue.push(found);
    }
  }
  await writeFile(
    path.join(app, "package.json"),
    JSON.stringify({ name: "app", private: true, type: "module", dependencies: { sigmats: spec } }),
  );
  await writeFile(
    path.join(app, "package-lock.json"),
    JSON.stringify({ name: "app", lockfileVersion: 3, requires: true, packages }, null, 2),
  );
}

/** Where Node would find `name` from the package installed at `from`, in the lockfile's tree. */
function resolveInLock(
  tree: Record<string, LockEntry>,
  from: string,
  name: string,
): string | undefined {
  for (let base = from; ;) {
    const candidate = base === "" ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (tree[candidate] !== undefined) return candidate;
    if (base === "") return undefined;
    const up = base.lastIndexOf("/node_modules/");
    base = up < 0 ? "" : base.slice(0, up);
  }
}

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
