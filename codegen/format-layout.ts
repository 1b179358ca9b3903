/**
 * The canonical layout of a parsed schema as a list of code lines, each remembering the source
 * range it came from so that comments can be put back next to it. Doc comments are not printed
 * here: they are comments in the source like any other and come back with them.
 */
import type {
  AstAnnotation,
  AstErrorEntry,
  AstField,
  AstFile,
  AstItem,
  AstMember,
  AstReserved,
  AstRpc,
  AstType,
} from "./ast.js";
import { MASK_COMMENT, skipTrivia, type Lexed } from "./format-lex.js";
import type { Span } from "./model.js";

export interface CodeLine {
  text: string;
  /** Nesting depth of the line itself, and of comments placed just before it. */
  indent: number;
  leadIndent: number;
  /** Source offsets of the code the line prints, from its first token to its last. */
  start: number;
  end: number;
  /** Whether an author's blank line may be kept before or after this line. */
  blankBefore: boolean;
  blankAfter: boolean;
}

type Body = (AstField | AstReserved)[];

export function layoutSchema(ast: AstFile, text: string, lexed: Lexed): CodeLine[] {
  const out: CodeLine[] = [];
  const raw = (s: Span) => text.slice(s.offset, s.offset + s.length);
  const end = (s: Span) => s.offset + s.length;

  const line = (
    indent: number,
    str: string,
    start: number,
    stop: number,
    blank: { before?: boolean; after?: boolean } = {},
  ) => {
    out.push({
      text: str,
      indent,
      leadIndent: indent,
      start: skipTrivia(lexed.mask, start),
      end: stop,
      blankBefore: blank.before ?? true,
      blankAfter: blank.after ?? true,
    });
  };

  // A block prints as `header {}` when nothing, not even a comment, sits between its braces.
  const block = (
    indent: number,
    header: string,
    start: number,
    close: number,
    children: number,
    printChildren: () => void,
    continuation = false,
  ) => {
    const codeStart = skipTrivia(lexed.mask, start);
    const open = lexed.mask.indexOf("{", codeStart);
    const inner = lexed.mask.slice(open + 1, close);
    if (children === 0 && !inner.includes(MASK_COMMENT)) {
      line(indent, `${header} {}`, codeStart, close + 1, { before: !continuation });
      return;
    }
    line(indent, `${header} {`, codeStart, open + 1, { before: !continuation, after: false });
    printChildren();
    out.push({
      text: "}",
      indent,
      leadIndent: indent + 1,
      start: close,
      end: close + 1,
      blankBefore: false,
      blankAfter: true,
    });
  };

  const body = (indent: number, items: Body) => {
    for (const b of items) {
      if (b.kind === "reserved") reserved(indent, b);
      else field(indent, b);
    }
  };
  const field = (indent: number, f: AstField) =>
    line(
      indent,
      `${f.name}: ${typeText(f.type)} = ${raw(f.numberSpan)};`,
      f.span.offset,
      end(f.span),
    );
  const reserved = (indent: number, r: AstReserved) => {
    const items = r.items.map((i) =>
      i.kind === "range" ? `${raw(i.fromSpan)} to ${raw(i.toSpan)}` : raw(i.fromSpan),
    );
    line(indent, `reserved ${items.join(", ")};`, r.span.offset, end(r.span));
  };
  const member = (indent: number, m: AstMember) =>
    line(indent, `${m.name} = ${raw(m.valueSpan)};`, m.span.offset, end(m.span));
  const errorEntry = (indent: number, e: AstErrorEntry) =>
    line(
      indent,
      `${e.name} = ${raw(e.codeSpan)} ${e.retry} ${raw(e.descriptionSpan)};`,
      e.span.offset,
      end(e.span),
    );
  const rpc = (indent: number, r: AstRpc) =>
    line(indent, `rpc ${r.name}(${r.request}) -> ${r.reply};`, r.span.offset, end(r.span));

  const item = (it: AstItem) => {
    const close = end(it.span) - 1;
    switch (it.kind) {
      case "protocol":
        return line(
          0,
          `protocol ${it.name} version ${raw(it.versionSpan)};`,
          it.span.offset,
          end(it.span),
        );
      case "import":
        return line(0, `import ${raw(it.pathSpan)};`, it.span.offset, end(it.span));
      case "alias":
        return line(0, `alias ${it.name} = ${typeText(it.type)};`, it.span.offset, end(it.span));
      case "const":
        return line(
          0,
          `const ${it.name}: ${typeText(it.type)} = ${raw(it.value.span)};`,
          it.span.offset,
          end(it.span),
        );
      case "reserved":
        return reserved(0, it);
      case "flags":
      case "enum":
        return block(
          0,
          `${it.kind} ${it.name}: ${it.base}`,
          it.span.offset,
          close,
          it.members.length,
          () => it.members.forEach((m) => member(1, m)),
        );
      case "struct":
        return block(0, `struct ${it.name}`, it.span.offset, close, it.body.length, () =>
          body(1, it.body),
        );
      case "errors":
        return block(0, "errors", it.span.offset, close, it.entries.length, () =>
          it.entries.forEach((e) => errorEntry(1, e)),
        );
      case "service":
        return block(0, `service ${it.name}`, it.span.offset, close, it.methods.length, () =>
          it.methods.forEach((r) => rpc(1, r)),
        );
      case "message": {
        const anns = it.annotations;
        let start = it.extent.start;
        const last = anns[anns.length - 1];
        if (anns[0] && last) {
          line(0, anns.map(annotationText).join(" "), anns[0].span.offset, end(last.span), {
            after: false,
          });
          start = end(last.span);
        }
        const reply = it.reply ? ` -> ${it.reply.name}` : "";
        const header = `${it.messageKind} ${it.name} = ${raw(it.numberSpan)}${reply}`;
        return block(
          0,
          header,
          start,
          it.extent.end - 1,
          it.body.length,
          () => body(1, it.body),
          anns.length > 0,
        );
      }
    }
  };

  ast.items.forEach(item);
  return out;
}

function annotationText(a: AstAnnotation): string {
  return a.args.length ? `@${a.name}(${a.args.map((x) => x.name).join(", ")})` : `@${a.name}`;
}

export function typeText(t: AstType): string {
  switch (t.kind) {
    case "name":
      return t.name;
    case "array":
      return `${typeText(t.of)}[]`;
    case "optional":
      return `${typeText(t.of)}?`;
    case "map":
      return `map<${typeText(t.key)}, ${typeText(t.value)}>`;
  }
}
