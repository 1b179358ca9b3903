/**
 * runtime/contract is what generated code declares against; loading it must not load the rest of
 * the runtime or any package (msgpackr, the session layer, the dispatcher). Lint holds its
 * imports of the repository to runtime/errors (layering.json); this test also holds packages out,
 * which lint allows every room, and checks the transitive closure the package export loads.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every module a file imports (static and type-only), as paths from ROOT or package names. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  return [...text.matchAll(/^(?:import|export)\s(?:[^;"]*?\sfrom\s)?"([^"]+)";/gms)].map((m) => {
    const spec = m[1]!;
    if (!spec.startsWith(".")) return spec;
    return path.posix.join(path.posix.dirname(file), spec).replace(/\.js$/, ".ts");
  });
}

describe("runtime/contract", () => {
  it("imports only itself and runtime/errors, and no package, all the way down", () => {
    const seen = new Set<string>();
    const queue = ["runtime/contract/index.ts"];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const dep of importsOf(file)) queue.push(dep);
    }
    const outside = [...seen].filter(
      (f) => !f.startsWith("runtime/contract/") && !f.startsWith("runtime/errors/"),
    );
    const files = readdirSync(path.join(ROOT, "runtime/contract")).map(
      (f) => `runtime/contract/${f}`,
    );
    // runtime/errors is reached (registry.ts registers codes), so the walk follows imports.
    expect(seen.size).toBeGreaterThan(files.length);
    expect(outside).toEqual([]);
    // Every file of the room is reached from its index: nothing in it lives outside the export.
    expect(files.filter((f) => !seen.has(f))).toEqual([]);
  });

  it("holds the types and helpers generated code imports, and wire only the two engines", async () => {
    const contract = await import("../../runtime/contract/index.js");
    const wire = await import("../../runtime/wire/index.js");
    for (const name of ["createRegistry", "recordDecoder", "decodeFailure", "callRpc", "NO_DATA"]) {
      expect(name in contract, name).toBe(true);
    }
    expect(Object.keys(wire).sort()).toEqual(["ProtocolClient", "dispatcherFor", "pack", "unpack"]);
  });
});
