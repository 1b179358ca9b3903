/**
 * `sigma fmt`: the canonical text of a schema file. Layout comes from the syntax tree, comments
 * from the source text; the result is re-parsed and compared before anyone sees it.
 */
import type { Diagnostic } from "./diagnostics.js";
import { groupComments, placeComments } from "./format-comments.js";
import { sameSchema } from "./format-equal.js";
import { layoutSchema } from "./format-layout.js";
import { lexComments } from "./format-lex.js";
import { printSchema } from "./format-print.js";
import { parseSchema } from "./parse.js";

export interface FormatResult {
  output: string;
  diagnostics: Diagnostic[];
}

/**
 * Formats one file. On a syntax error the output is the input, with the parser's diagnostics.
 * Throws if the formatted text would parse to a different schema: that is a formatter bug, and
 * writing the file would lose the author's work.
 */
export function formatSchema(path: string, text: string): FormatResult {
  const parsed = parseSchema(path, text);
  if (!parsed.ast) return { output: text, diagnostics: parsed.diagnostics };
  const lexed = lexComments(text);
  const lines = layoutSchema(parsed.ast, text, lexed);
  const placement = placeComments(text, lines, groupComments(text, lexed.comments));
  const output = printSchema(text, lexed.mask, lines, placement);
  const again = parseSchema(path, output);
  if (!again.ast || !sameSchema(parsed.ast, again.ast)) {
    throw new Error(`sigma fmt: formatting ${path} would change its meaning; file left as is`);
  }
  return { output, diagnostics: [] };
}
