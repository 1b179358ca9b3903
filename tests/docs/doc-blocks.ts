/**
 * The code blocks of the docs (README.md and every docs/**\/*.md), as the doc tests see them: a
 * new doc is covered without being listed anywhere. Each fenced block has a language, and the
 * language says what is done with it (docs/testing.md, "Docs that run"):
 *
 * - `ts`: type-checked (all blocks in one program) and run against the doc world;
 * - `sh`: run as a script (`sh -e`), `console`: each `$ ` command run and its output compared;
 * - `sigmap`: parsed; `json`: parsed; `text`, `mermaid`: not code (diagrams, output), left alone.
 *
 * An HTML comment right above a block changes that: `<!-- doc-test: skip REASON -->` (not run at
 * all), `<!-- doc-test: typecheck REASON -->` (a `ts` fragment: type-checked with the package's
 * exports, `fsl` and `named` in scope, not run), `<!-- doc-test: given DECLARATIONS -->` (more
 * names a fragment uses, e.g. `declare const myAddr: string;`).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export const LANGUAGES = ["ts", "sh", "console", "sigmap", "json", "text", "mermaid"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Marker {
  kind: "skip" | "typecheck" | "given";
  text: string;
}

export interface DocBlock {
  /** Relative to the repository, e.g. `docs/fslib.md`. */
  file: string;
  /** The line of the opening fence, from 1. */
  line: number;
  lang: string;
  text: string;
  markers: Marker[];
}

/** `docs/fslib.md:20` */
export function where(b: DocBlock): string {
  return `${b.file}:${b.line}`;
}

/** Every doc file: README.md and the markdown files under docs/. */
export function docFiles(): string[] {
  const out = ["README.md"];
  const walk = (dir: string): void => {
    for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith(".md")) out.push(rel);
    }
  };
  walk("docs");
  return out.sort();
}

/** Every fenced block of every doc. */
export function allBlocks(): DocBlock[] {
  return docFiles().flatMap((f) => blocksOf(f, readFileSync(path.join(ROOT, f), "utf8")));
}

const OPEN = /^(\s*)(`{3,})([^`\s]*)\s*$/;
const MARKER = /^\s*<!-- doc-test: (skip|typecheck|given)\b\s*(.*?)\s*-->\s*$/;

export function blocksOf(file: string, source: string): DocBlock[] {
  const lines = source.split("\n");
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i] ?? "");
    if (open === null) continue;
    const [, indent = "", fence = "```", lang = ""] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j] ?? "";
      if (l.trim() === fence && l.startsWith(indent)) break;
      body.push(l.startsWith(indent) ? l.slice(indent.length) : l.trimStart());
    }
    blocks.push({
      file,
      line: i + 1,
      lang,
      text: body.join("\n") + "\n",
      markers: markersAbove(lines, i),
    });
    i = j;
  }
  return blocks;
}

/** The doc-test comments directly above line `i` (blank lines between are allowed). */
function markersAbove(lines: readonly string[], i: number): Marker[] {
  const out: Marker[] = [];
  for (let k = i - 1; k >= 0; k--) {
    const l = lines[k] ?? "";
    if (l.trim() === "") continue;
    const m = MARKER.exec(l);
    if (m === null) break;
    out.unshift({ kind: m[1] as Marker["kind"], text: m[2] ?? "" });
  }
  return out;
}

export function marker(b: DocBlock, kind: Marker["kind"]): Marker | undefined {
  return b.markers.find((m) => m.kind === kind);
}

/** Blocks that are run: not skipped, not type-check-only. */
export function runnable(b: DocBlock): boolean {
  return marker(b, "skip") === undefined && marker(b, "typecheck") === undefined;
}

/** The placeholder address docs use for named; the doc tests put the real one in its place. */
export const DOC_NAMED = "127.0.0.1:1111";

/** A console block's commands, each with the output the doc shows for it. */
export function consoleSteps(text: string): { command: string; expected: string[] }[] {
  const steps: { command: string; expected: string[] }[] = [];
  for (const line of text.replace(/\n$/, "").split("\n")) {
    if (line.startsWith("$ ")) steps.push({ command: line.slice(2), expected: [] });
    else if (steps.length > 0) steps.at(-1)?.expected.push(line);
    else throw new Error(`console block must start with "$ ": ${line}`);
  }
  return steps;
}

/**
 * Whether `actual` output is what the doc shows: line by line, `...` within a line matches any
 * text, and a line that is only `...` matches any number of lines.
 */
export function outputMatches(expected: readonly string[], actual: string): boolean {
  const re = expected
    .map((l) =>
      l === "..."
        ? "(?:[^\\n]*\\n)*?"
        : l
            .split("...")
            .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
            .join("[^\\n]*") + "\\n",
    )
    .join("");
  const text = actual === "" || actual.endsWith("\n") ? actual : actual + "\n";
  return new RegExp(`^${re}$`).test(text);
}
