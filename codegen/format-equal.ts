/**
 * What "the formatter never changes meaning" is checked against: two syntax trees are the same
 * schema when they agree on everything but source positions.
 */
import type { AstFile } from "./ast.js";

/**
 * The tree without spans and offsets. Doc lines lose trailing whitespace, which the formatter
 * strips and nothing can see.
 */
export function normalizeAst(ast: AstFile): unknown {
  return strip(ast.items);
}

export function sameSchema(a: AstFile, b: AstFile): boolean {
  return stableJson(normalizeAst(a)) === stableJson(normalizeAst(b));
}

function strip(v: unknown, key = ""): unknown {
  if (Array.isArray(v)) return v.map((x) => strip(x));
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string" && key === "doc") {
    return v
      .split("\n")
      .map((l) => l.trimEnd())
      .join("\n");
  }
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === "span" || k.endsWith("Span") || k === "extent") continue;
    out[k] = strip(x, k);
  }
  return out;
}

function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );
}
