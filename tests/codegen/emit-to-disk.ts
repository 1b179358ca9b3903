/**
 * Writes emitter output where generated code expects to live (<dir>/generated/<outDir>/) next to
 * a link to the real runtime, so tests can typecheck it and import it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { OutputFile } from "../../codegen/emit/index.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface EmittedTree {
  dir: string;
  /** Imports generated/<rel> (e.g. `demo/codec.ts`). */
  load<T>(rel: string): Promise<T>;
  /** tsc diagnostics for the whole tree, empty when it compiles. */
  typecheck(): string;
  remove(): void;
}

export function writeTree(outputs: readonly OutputFile[]): EmittedTree {
  const dir = mkdtempSync(path.join(tmpdir(), "sigma-gen-"));
  symlinkSync(path.join(ROOT, "runtime"), path.join(dir, "runtime"));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  for (const o of outputs) {
    const file = path.join(dir, "generated", o.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, o.content);
  }
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: path.join(ROOT, "tsconfig.json"),
      compilerOptions: { rootDir: ".", noEmit: true },
      include: ["generated"],
    }),
  );
  return {
    dir,
    load: <T>(rel: string) => import(path.join(dir, "generated", rel)) as Promise<T>,
    typecheck: () => {
      try {
        execFileSync(path.join(ROOT, "node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8" });
        return "";
      } catch (e) {
        return String((e as { stdout?: string }).stdout ?? e);
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
