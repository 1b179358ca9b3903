import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatSchema } from "../../codegen/format.js";
import { normalizeAst } from "../../codegen/format-equal.js";
import { parseSchema } from "../../codegen/parse.js";
import { messySchema } from "./format-arbitrary.js";

const repo = path.join(import.meta.dirname, "../..");
const fixtures = path.join(repo, "tests/fixtures/format");
const read = (p: string) => readFileSync(p, "utf8");

function astOf(text: string): unknown {
  const r = parseSchema("x.sigmap", text);
  expect(r.diagnostics).toEqual([]);
  return normalizeAst(r.ast!);
}

/** Formatting keeps the schema and is a fixed point. */
function expectSound(text: string): string {
  const once = formatSchema("x.sigmap", text);
  expect(once.diagnostics).toEqual([]);
  expect(astOf(once.output)).toEqual(astOf(text));
  expect(formatSchema("x.sigmap", once.output).output).toBe(once.output);
  return once.output;
}

describe("sigma fmt on real schemas", () => {
  const files = [
    "schema/sigmap.sigmap",
    ...["minimal/main", "features/main", "features/records", "imports/main", "imports/types"].map(
      (f) => `tests/fixtures/schema/ok/${f}.sigmap`,
    ),
  ];
  it.each(files)("%s is canonical, and formatting it keeps its meaning", (f) => {
    const text = read(path.join(repo, f));
    expect(expectSound(text)).toBe(text);
  });
});

describe("fixture pairs", () => {
  const cases = readdirSync(fixtures).sort();
  it.each(cases)("%s", (name) => {
    const input = read(path.join(fixtures, name, "input.sigmap"));
    const expected = read(path.join(fixtures, name, "expected.sigmap"));
    expect(expectSound(input)).toBe(expected);
    expect(formatSchema("x.sigmap", expected).output).toBe(expected);
  });
});

describe("properties", () => {
  it("random schemas keep their meaning and format to a fixed point", () => {
    fc.assert(
      fc.property(messySchema, (text) => {
        expectSound(text);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps every comment", () => {
    fc.assert(
      fc.property(messySchema, (text) => {
        const out = formatSchema("x.sigmap", text).output;
        const words = (s: string) =>
          s.match(/\/\*|\/\/+|\bown\b|\bfour\b|\bm\b|\bt\b|\bc\b/g) ?? [];
        expect(words(out).length).toBe(words(text).length);
      }),
      { numRuns: 200 },
    );
  });
});

describe("syntax errors", () => {
  it("returns the input and the parser's diagnostics", () => {
    const text = "struct {\n";
    const r = formatSchema("bad.sigmap", text);
    expect(r.output).toBe(text);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["SIG001"]);
  });
});

describe("layout", () => {
  it("collapses blank-line runs and drops blank lines at block edges", () => {
    const text = "\n\nalias A = u8;\n\n\n\nstruct S {\n\n  a: u8 = 1;\n\n}\n\n\n";
    expect(formatSchema("x.sigmap", text).output).toBe(
      "alias A = u8;\n\nstruct S {\n  a: u8 = 1;\n}\n",
    );
  });

  it("prints an empty file as empty", () => {
    expect(formatSchema("x.sigmap", "\n \n").output).toBe("");
  });
});
