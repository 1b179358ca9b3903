import { readFileSync } from "node:fs";
import Handlebars from "handlebars";

/**
 * Handlebars templates under codegen/templates, compiled once per process. Strict mode turns a
 * misspelled view field into an error instead of silently empty output.
 */

const env = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();
const TEMPLATE_DIR = new URL("../templates/", import.meta.url);
const MAX_LINE = 100;

env.registerHelper("jsdoc", (doc: unknown, indent: unknown) =>
  jsdoc(String(doc), typeof indent === "string" ? indent : ""),
);

/** Renders `codegen/templates/<name>.hbs` with `view`. */
export function render(name: string, view: object): string {
  let template = cache.get(name);
  if (template === undefined) {
    const source = readFileSync(new URL(`${name}.hbs`, TEMPLATE_DIR), "utf8");
    template = env.compile(source, { strict: true, noEscape: true });
    cache.set(name, template);
  }
  return template(view);
}

/**
 * A doc comment for code indented by `indent`; the first line carries no indent because the
 * template puts the helper where the comment starts.
 */
export function jsdoc(doc: string, indent: string): string {
  const lines = doc.replace(/\*\//g, "*\\/").split("\n");
  if (lines.length === 1 && indent.length + doc.length + 7 <= MAX_LINE) return `/** ${lines[0]} */`;
  const body = lines.map((line) => (line === "" ? `${indent} *` : `${indent} * ${line}`));
  return ["/**", ...body, `${indent} */`].join("\n");
}
