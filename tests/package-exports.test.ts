import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import * as sigmats from "../index.js";
import { GENERATOR_PACKAGES } from "../bin/commands/generator-missing.js";
import { allBlocks, where } from "./docs/doc-blocks.js";
import { packageSources } from "./support/package-sources.js";

const ROOT = path.resolve(import.meta.dirname, "..");

interface Entry {
  types: string;
  default: string;
}

interface Manifest {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  private?: boolean;
  license?: string;
  repository?: { url?: string };
  main?: string;
  types?: string;
  files?: string[];
  exports: Record<string, Entry | string>;
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;

/** Every module specifier a doc's `ts` block imports, with where it is. */
function docImports(): { at: string; specifier: string }[] {
  return allBlocks()
    .filter((b) => b.lang === "ts")
    .flatMap((b) =>
      [...b.text.matchAll(/\bfrom "([^"]+)"/g)].map((m) => ({ at: where(b), specifier: m[1]! })),
    );
}

describe("the package entry point", () => {
  it("exports errors, codes, flags and the generated protocol", () => {
    const e = new sigmats.SigmaError(sigmats.ErrCode.Notfound, "name/a/b");
    expect(e.message).toBe("not found: name/a/b");
    expect(sigmats.isErr(e, sigmats.ErrCode.Notfound)).toBe(true);
    expect(sigmats.Mode.OWATCH).toBe(0x100);
    expect(sigmats.Perm.DMTMP).toBe(0x04000000);
    expect(sigmats.NoOffset).toBe(0xffffffffffffffffn);
    expect(typeof sigmats.SigmapClient).toBe("function");
    expect(typeof sigmats.dispatchSigmap).toBe("function");
    expect(sigmats.messageByType.get(sigmats.MsgType.Twriteread)?.unordered).toBe(true);
  });

  it("exports tokens: issue with a private key, verify with the public key", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const token = sigmats.issueToken(privateKey, { user: "alice", realm: "rootrealm" });
    const keys = new sigmats.KeyRing([publicKey]);
    expect(sigmats.verifyToken(token, keys, { realm: "rootrealm" }).principal).toEqual({
      user: "alice",
      realm: "rootrealm",
      role: "user",
    });
  });

  it("exports FsLib and startNamed, which work together as the README shows", async () => {
    const named = await sigmats.startNamed({ port: 0 });
    const fsl = await sigmats.FsLib.connect({ named: [named.addr], uname: "alice" });
    const data = new TextEncoder().encode("x");
    await fsl.putFile("name/x", 0o777, sigmats.Mode.OWRITE, data);
    expect(await fsl.getFile("name/x")).toEqual(data);
    await fsl.close();
    await named.close();
  });
});

describe("the package manifest", () => {
  it("is publishable: MIT, a repository, a LICENSE file, dist/ shipped", () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest.license).toBe("MIT");
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\//);
    expect(readFileSync(path.join(ROOT, "LICENSE"), "utf8")).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} the sigmats authors\n/,
    );
    expect(manifest.files).toContain("dist");
  });

  it("has the code generator's packages as optional peers only, as sigma says when they lack", () => {
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual([...GENERATOR_PACKAGES].sort());
    for (const name of GENERATOR_PACKAGES) {
      expect(manifest.peerDependenciesMeta[name]?.optional, name).toBe(true);
      expect(manifest.dependencies[name], name).toBeUndefined();
    }
  });

  it("names the entry's types at the top level, for moduleResolution node10", () => {
    const root = manifest.exports["."] as Entry;
    expect(manifest.main).toBe(root.default);
    expect(manifest.types).toBe(root.types);
  });

  it("maps every export to a source file that exists, with its .d.ts beside its .js", () => {
    for (const [key, target] of Object.entries(manifest.exports)) {
      if (typeof target === "string") continue;
      expect(target.types.replace(/\.d\.ts$/, ".js"), key).toBe(target.default);
    }
    const sources = packageSources();
    expect(sources.size).toBe(Object.keys(manifest.exports).length - 1); // all but package.json
    for (const [name, file] of sources) expect(existsSync(file), name).toBe(true);
  });

  it("covers every import the docs make: sigmats or one of its entries, never repository paths", () => {
    const sources = packageSources();
    const imports = docImports();
    expect(imports.some((i) => i.specifier.startsWith("sigmats/"))).toBe(true);
    const unreachable = imports.filter(
      (i) =>
        (i.specifier.startsWith("sigmats") && !sources.has(i.specifier)) ||
        /^\.\/(runtime|servers|bin|codegen)\/|^\.\/generated\/(sigmap|services)\//.test(
          i.specifier,
        ),
    );
    expect(unreachable).toEqual([]);
  });

  it("offers the Echo service's types and classes under sigmats/services/echo", async () => {
    const file = packageSources().get("sigmats/services/echo")!;
    const echo = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    expect(typeof echo.EchoClient).toBe("function");
    expect(typeof echo.echoService).toBe("function");
    expect(Object.keys(echo)).toEqual(Object.keys(sigmats.servicesEcho));
  });
});
