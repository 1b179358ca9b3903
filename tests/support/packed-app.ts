/**
 * The package as a user gets it: `npm pack` of a copy of the repository (which builds dist/ on
 * `prepare`, as a git install does), installed into an empty application without the network.
 * The application's lockfile is the repository's own resolution of sigmats' dependencies, so the
 * tarballs come from the local npm cache; `npm ls` then checks the tree against every manifest in
 * it, so a dependency the package needs but the lockfile left out would fail the test.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
export const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

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
  "scripts",
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

export interface PackedApp {
  /** The temporary directory holding the tarball, the repository's copy and the application. */
  dir: string;
  /** The application: package.json, package-lock.json, node_modules/. */
  app: string;
  remove(): Promise<void>;
}

export interface PackedAppOptions {
  /** Prefix of the temporary directory's name. */
  prefix: string;
  /** sigmats' optional peers the application depends on too (e.g. the code generator's). */
  peers?: readonly string[];
}

/** Packs the repository and installs the tarball (and `peers`) offline into a new application. */
export async function installPackedApp(opts: PackedAppOptions): Promise<PackedApp> {
  const dir = await mkdtemp(path.join(tmpdir(), opts.prefix));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
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
    const app = path.join(dir, "app");
    await mkdir(app);
    await writeAppLock(app, path.join(dir, filename), repo, opts.peers ?? []);
    await run(NPM, ["ci", "--offline", "--no-audit", "--no-fund"], { cwd: app });
    return { dir, app, remove };
  } catch (e) {
    await remove();
    throw e;
  }
}

/**
 * An application that depends on the tarball and on `peers`, with a lockfile holding them and
 * what their manifests require (dependencies, optional ones, non-optional peers), each resolved
 * as the repository's lockfile resolves it.
 */
async function writeAppLock(
  app: string,
  tarball: string,
  repo: string,
  peers: readonly string[],
): Promise<void> {
  const repoLock = JSON.parse(await readFile(path.join(repo, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const pkg = JSON.parse(await readFile(path.join(repo, "package.json"), "utf8")) as Manifest;
  const spec = `file:${path.relative(app, tarball)}`;
  const integrity = `sha512-${createHash("sha512")
    .update(await readFile(tarball))
    .digest("base64")}`;
  const dependencies: Record<string, string> = { sigmats: spec };
  for (const name of peers) {
    const range = pkg.peerDependencies?.[name];
    if (range === undefined) throw new Error(`${name} is not a peer dependency of sigmats`);
    dependencies[name] = range;
  }
  const packages: Record<string, LockEntry> = {
    "": { name: "app", dependencies },
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
  // The root's needs are sigmats (placed above) and the peers; the walk adds what each requires.
  const queue = ["node_modules/sigmats"];
  const place = (from: string, name: string, optional: boolean): void => {
    const found = resolveInLock(repoLock.packages, from, name);
    if (found === undefined) {
      if (optional) return;
      throw new Error(
        `${from || "app"} needs ${name}, which the repository's lockfile does not hold`,
      );
    }
    if (packages[found] !== undefined) return;
    const {
      dev: _dev,
      devOptional: _devOptional,
      peer: _peer,
      ...rest
    } = repoLock.packages[found]!;
    packages[found] = rest;
    queue.push(found);
  };
  for (const name of peers) place("", name, false);
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    const entry = packages[at]!;
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const needs = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers[n]?.optional),
    ];
    for (const name of needs) {
      const from = at === "node_modules/sigmats" ? "" : at;
      place(from, name, entry.optionalDependencies?.[name] !== undefined);
    }
  }
  await writeFile(
    path.join(app, "package.json"),
    JSON.stringify({ name: "app", private: true, type: "module", dependencies }),
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
