/**
 * Lint rule: no import circle among the repository's own modules. Unlike import-x/no-cycle it
 * counts `import type` too: a circle of types still makes two modules that cannot be read or
 * changed apart, and it is exactly the kind the layering forbids (FsLib ⇄ its helper modules).
 *
 * The rule reads every source under the configured folders once per lint run (TypeScript's
 * preProcessFile: every import, export-from and import() specifier) and reports each import of
 * the linted file from which the file's own module is reachable again, unless both ends are
 * listed together in `known` (a circle scheduled for removal, with its reason, in layering.json).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** @type {import("eslint").Rule.RuleModule} */
export const noImportCycle = {
  meta: {
    type: "problem",
    docs: { description: "forbid import circles, type-only imports included" },
    schema: [
      {
        type: "object",
        properties: {
          roots: { type: "array", items: { type: "string" } },
          known: { type: "array", items: { type: "array", items: { type: "string" } } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      cycle: "import circle: {{circle}} (layering.json; type-only imports count)",
    },
  },
  create(context) {
    const { roots = [], known = [] } = context.options[0] ?? {};
    const cwd = context.cwd;
    const file = path.relative(cwd, context.physicalFilename).split(path.sep).join("/");
    const edges = graphOf(cwd, roots);
    if (!edges.has(file)) return {};
    const allowed = (to) => known.some((group) => group.includes(file) && group.includes(to));
    return {
      Program() {
        // The imports of the text being linted, which may differ from the file on disk.
        const text = context.sourceCode.text;
        for (const { to, pos, end } of specifiersOf(file, text)) {
          if (allowed(to)) continue;
          const back = pathBetween(edges, to, file);
          if (back === undefined) continue;
          const loc = {
            start: context.sourceCode.getLocFromIndex(pos),
            end: context.sourceCode.getLocFromIndex(end),
          };
          context.report({
            loc,
            messageId: "cycle",
            data: { circle: [file, ...back].join(" → ") },
          });
        }
      },
    };
  },
};

/** @type {Map<string, Map<string, string[]>>} the files on disk and their imports, per lint run */
const graphs = new Map();

/** Every source under `roots` → the repository files it imports. */
function graphOf(cwd, roots) {
  const key = `${cwd}\0${roots.join("\0")}`;
  let edges = graphs.get(key);
  if (edges === undefined) {
    edges = new Map();
    for (const f of roots.flatMap((r) => sourcesUnder(cwd, r))) {
      edges.set(f, importsOf(f, readFileSync(path.join(cwd, f), "utf8")));
    }
    graphs.set(key, edges);
  }
  return edges;
}

function sourcesUnder(cwd, rel) {
  const abs = path.join(cwd, rel);
  let st;
  try {
    st = statSync(abs);
  } catch {
    return [];
  }
  if (!st.isDirectory()) return rel.endsWith(".ts") && !rel.endsWith(".d.ts") ? [rel] : [];
  return readdirSync(abs).flatMap((e) =>
    e === "node_modules" ? [] : sourcesUnder(cwd, `${rel}/${e}`),
  );
}

/** The repository files `text` (of `file`) imports: relative specifiers, `.js` read as `.ts`. */
function importsOf(file, text) {
  return specifiersOf(file, text).map((s) => s.to);
}

/** Each relative import of `text` with the file it names and where its specifier is. */
function specifiersOf(file, text) {
  const out = [];
  for (const { fileName, pos, end } of ts.preProcessFile(text, true, true).importedFiles) {
    if (!fileName.startsWith(".")) continue;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName));
    const to = target.replace(/\.js$/, ".ts");
    if (to !== file) out.push({ to, pos, end });
  }
  return out;
}

/** The shortest import path from `from` to `to` (both ends included), if there is one. */
function pathBetween(edges, from, to) {
  const previous = new Map([[from, undefined]]);
  const queue = [from];
  while (queue.length > 0) {
    const at = queue.shift();
    if (at === to) {
      const route = [];
      for (let v = at; v !== undefined; v = previous.get(v)) route.unshift(v);
      return route;
    }
    for (const next of edges.get(at) ?? []) {
      if (previous.has(next)) continue;
      previous.set(next, at);
      queue.push(next);
    }
  }
  return undefined;
}
