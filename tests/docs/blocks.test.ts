/**
 * Every code block of the docs is accounted for: a known language, markers with reasons, schema
 * and JSON blocks that parse, and TypeScript blocks that type-check (all in one program). Running
 * them is ts-blocks.test.ts and shell-blocks.test.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseSchema } from "../../codegen/parse.js";
import {
  allBlocks,
  blocksOf,
  LANGUAGES,
  marker,
  outputMatches,
  ROOT,
  where,
} from "./doc-blocks.js";
import { typecheckBlocks } from "./typecheck-blocks.js";

const blocks = allBlocks();

describe("doc blocks", () => {
  it("are found in README.md and every doc", () => {
    const files = new Set(blocks.map((b) => b.file));
    expect(files).toContain("README.md");
    expect(files).toContain("docs/fslib.md");
    expect(blocks.length).toBeGreaterThan(40);
  });

  it("each has a known language, and each marker a reason", () => {
    const bad: string[] = [];
    for (const b of blocks) {
      if (!(LANGUAGES as readonly string[]).includes(b.lang)) {
        bad.push(
          `${where(b)}: language "${b.lang}" (use one of ${LANGUAGES.join(", ")}; text if it is not code)`,
        );
      }
      for (const kind of ["skip", "typecheck"] as const) {
        const m = marker(b, kind);
        if (m !== undefined && !/^\(.+\)$/.test(m.text))
          bad.push(`${where(b)}: doc-test ${kind} needs a (reason)`);
      }
      if (marker(b, "typecheck") && b.lang !== "ts")
        bad.push(`${where(b)}: typecheck is for ts blocks`);
    }
    expect(bad).toEqual([]);
  });

  it("schema blocks parse", () => {
    const bad = blocks
      .filter((b) => b.lang === "sigmap" && !marker(b, "skip"))
      .flatMap((b) =>
        parseSchema(where(b), b.text).diagnostics.map((d) => `${where(b)}: ${d.message}`),
      );
    expect(bad).toEqual([]);
  });

  it("JSON blocks parse", () => {
    for (const b of blocks.filter((x) => x.lang === "json" && !marker(x, "skip"))) {
      expect(() => JSON.parse(b.text), where(b)).not.toThrow();
    }
  });

  it("TypeScript blocks type-check", () => {
    const ts = blocks.filter((b) => b.lang === "ts" && !marker(b, "skip"));
    const bad = typecheckBlocks(ts).map((d) => `${d.block.file}:${d.line}: ${d.message}`);
    expect(bad).toEqual([]);
    // A whole-program type check: ~25 s on a busy 2-core machine, beside the suite's other files.
  }, 120_000);

  it("the doc shell's npm shim runs what `npm run sigma` runs", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts["sigma"]).toBe("tsx bin/sigma.ts");
  });
});

describe("the doc block reader", () => {
  it("finds fences, indented ones too, and the markers above them", () => {
    const md = [
      "text",
      "<!-- doc-test: skip (needs two machines) -->",
      "",
      "```sh",
      "a",
      "```",
      "1. step",
      "   ```ts",
      "   const x = 1;",
      "   ```",
    ].join("\n");
    expect(blocksOf("x.md", md)).toEqual([
      {
        file: "x.md",
        line: 4,
        lang: "sh",
        text: "a\n",
        markers: [{ kind: "skip", text: "(needs two machines)" }],
      },
      { file: "x.md", line: 8, lang: "ts", text: "const x = 1;\n", markers: [] },
    ]);
  });

  it("matches output with ... wildcards", () => {
    expect(outputMatches(["id 0x..., ok"], "id 0x1f, ok\n")).toBe(true);
    expect(outputMatches(["a", "...", "z"], "a\nb\nc\nz\n")).toBe(true);
    expect(outputMatches(["a", "z"], "a\nb\nz\n")).toBe(false);
    expect(outputMatches([], "")).toBe(true);
    expect(outputMatches([], "surprise\n")).toBe(false);
  });
});
