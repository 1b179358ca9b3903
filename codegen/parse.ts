/**
 * Schema text -> syntax tree, with a source span on every node. Syntax errors become SIG001
 * diagnostics at the parser's rightmost failure position.
 */
import type { IterationNode, Node, NonterminalNode } from "ohm-js";
import grammar from "./grammar/sigmap.ohm-bundle.js";
import type {
  AstAnnotation,
  AstErrorEntry,
  AstField,
  AstFile,
  AstItem,
  AstLiteral,
  AstMember,
  AstReserved,
  AstReservedItem,
  AstRpc,
  AstType,
} from "./ast.js";
import { diag, offsetToLineCol, type Diagnostic } from "./diagnostics.js";
import type { Span } from "./model.js";

export interface ParseResult {
  ast: AstFile | null;
  diagnostics: Diagnostic[];
}

/** Parses one file; `path` is how spans and diagnostics name it. */
export function parseSchema(path: string, text: string): ParseResult {
  const match = grammar.match(text);
  if (match.failed()) {
    const offset = match.getRightmostFailurePosition();
    const span = spanAt(path, text, offset, 1);
    const expected = match.shortMessage?.replace(/^Line \d+, col \d+: /, "") ?? "syntax error";
    return { ast: null, diagnostics: [diag("SIG001", expected, span)] };
  }
  const semantics = grammar.createSemantics();
  const ctx: Ctx = { path, text };
  semantics.addOperation<unknown>("ast", actions(ctx));
  const items = semantics(match).ast() as AstItem[];
  return { ast: { path, items }, diagnostics: [] };
}

interface Ctx {
  path: string;
  text: string;
}

function spanAt(file: string, text: string, offset: number, length: number): Span {
  const { line, col } = offsetToLineCol(text, offset);
  return { file, line, col, offset, length };
}

// ohm's action signatures are positional; this table maps each rule to its AST node.
function actions(ctx: Ctx) {
  const span = (n: Node): Span =>
    spanAt(ctx.path, ctx.text, n.source.startIdx, n.source.endIdx - n.source.startIdx);
  const doc = (iter: Node): string =>
    iter.children.map((c: Node) => c.sourceString.replace(/^\/\/\/ ?/, "")).join("\n");
  const int = (n: Node): number => Number(parseInt_(n.sourceString));
  const ast = <T>(n: Node): T => n["ast"]() as T;
  const list = <T>(iter: Node): T[] => iter.children.map((c: Node) => ast<T>(c));
  const bodyOf = (iter: Node) => list<AstField | AstReserved>(iter);

  return {
    Schema(items: IterationNode, _docs: IterationNode, _end: Node) {
      return list<AstItem>(items);
    },
    Item(n: NonterminalNode) {
      return ast(n);
    },
    ProtocolDecl(
      this: NonterminalNode,
      d: Node,
      _k: Node,
      name: Node,
      _v: Node,
      v: Node,
      _s: Node,
    ) {
      return {
        kind: "protocol",
        name: name.sourceString,
        version: int(v),
        versionSpan: span(v),
        doc: doc(d),
        span: span(this),
      };
    },
    ImportDecl(this: NonterminalNode, d: Node, _k: Node, s: Node, _s: Node) {
      return {
        kind: "import",
        path: ast<string>(s),
        pathSpan: span(s),
        doc: doc(d),
        span: span(this),
      };
    },
    AliasDecl(
      this: NonterminalNode,
      d: Node,
      _k: Node,
      name: Node,
      _eq: Node,
      type: Node,
      _s: Node,
    ) {
      return {
        kind: "alias",
        ...named(name),
        type: ast<AstType>(type),
        doc: doc(d),
        span: span(this),
      };
    },
    ConstDecl(
      this: NonterminalNode,
      d: Node,
      _k: Node,
      name: Node,
      _c: Node,
      type: Node,
      _eq: Node,
      value: Node,
      _s: Node,
    ) {
      return {
        kind: "const",
        ...named(name),
        type: ast<AstType>(type),
        value: ast<AstLiteral>(value),
        doc: doc(d),
        span: span(this),
      };
    },
    FlagsDecl(
      this: NonterminalNode,
      d: Node,
      _k: Node,
      n: Node,
      _c: Node,
      b: Node,
      _o: Node,
      m: Node,
      _d: Node,
      _e: Node,
    ) {
      return setDecl("flags", this, d, n, b, m);
    },
    EnumDecl(
      this: NonterminalNode,
      d: Node,
      _k: Node,
      n: Node,
      _c: Node,
      b: Node,
      _o: Node,
      m: Node,
      _d: Node,
      _e: Node,
    ) {
      return setDecl("enum", this, d, n, b, m);
    },
    MemberDecl(
      this: NonterminalNode,
      d: Node,
      name: Node,
      _eq: Node,
      v: Node,
      _s: Node,
    ): AstMember {
      return { ...named(name), value: int(v), valueSpan: span(v), doc: doc(d), span: span(this) };
    },
    StructDecl(
      this: NonterminalNode,
      d: Node,
      _k: Node,
      name: Node,
      _o: Node,
      body: Node,
      _d: Node,
      _e: Node,
    ) {
      return { kind: "struct", ...named(name), body: bodyOf(body), doc: doc(d), span: span(this) };
    },
    BodyItem(n: NonterminalNode) {
      return ast(n);
    },
    FieldDecl(
      this: NonterminalNode,
      d: Node,
      name: Node,
      _c: Node,
      type: Node,
      _eq: Node,
      num: Node,
      _s: Node,
    ): AstField {
      return {
        kind: "field",
        ...named(name),
        type: ast<AstType>(type),
        number: int(num),
        numberSpan: span(num),
        doc: doc(d),
        span: span(this),
      };
    },
    ReservedDecl(this: NonterminalNode, d: Node, _k: Node, items: Node, _s: Node): AstReserved {
      return {
        kind: "reserved",
        items: ast<AstReservedItem[]>(items),
        doc: doc(d),
        span: span(this),
      };
    },
    NonemptyListOf(first: Node, _sep: Node, rest: Node) {
      return [ast(first), ...list(rest)];
    },
    EmptyListOf() {
      return [];
    },
    ReservedItem_range(this: NonterminalNode, a: Node, _to: Node, b: Node): AstReservedItem {
      return {
        kind: "range",
        from: int(a),
        to: int(b),
        name: "",
        span: span(this),
        fromSpan: span(a),
        toSpan: span(b),
      };
    },
    ReservedItem_number(this: NonterminalNode, a: Node): AstReservedItem {
      return {
        kind: "number",
        from: int(a),
        to: int(a),
        name: "",
        span: span(this),
        fromSpan: span(a),
        toSpan: span(a),
      };
    },
    ReservedItem_name(this: NonterminalNode, s: Node): AstReservedItem {
      return {
        kind: "name",
        from: 0,
        to: -1,
        name: ast<string>(s),
        span: span(this),
        fromSpan: span(s),
        toSpan: span(s),
      };
    },
    ErrorsDecl(
      this: NonterminalNode,
      d: Node,
      _k: Node,
      _o: Node,
      entries: Node,
      _d: Node,
      _e: Node,
    ) {
      return {
        kind: "errors",
        entries: list<AstErrorEntry>(entries),
        doc: doc(d),
        span: span(this),
      };
    },
    ErrorEntry(
      this: NonterminalNode,
      d: Node,
      name: Node,
      _eq: Node,
      code: Node,
      retry: Node,
      desc: Node,
      _s: Node,
    ): AstErrorEntry {
      return {
        ...named(name),
        code: int(code),
        codeSpan: span(code),
        retry: retry.sourceString,
        retrySpan: span(retry),
        description: ast<string>(desc),
        descriptionSpan: span(desc),
        doc: doc(d),
        span: span(this),
      };
    },
    MessageDecl(
      this: NonterminalNode,
      d: Node,
      anns: Node,
      kind: Node,
      name: Node,
      _eq: Node,
      num: Node,
      reply: Node,
      _o: Node,
      body: Node,
      _d: Node,
      _e: Node,
    ) {
      const r = reply.children[0];
      return {
        kind: "message",
        messageKind: kind.sourceString as "request" | "reply",
        ...named(name),
        number: int(num),
        numberSpan: span(num),
        reply: r ? ast<{ name: string; span: Span }>(r) : null,
        annotations: list<AstAnnotation>(anns),
        body: bodyOf(body),
        doc: doc(d),
        span: span(name),
        extent: { start: this.source.startIdx, end: this.source.endIdx },
      };
    },
    ReplyRef(_arrow: Node, name: Node) {
      return { name: name.sourceString, span: span(name) };
    },
    Annotation(this: NonterminalNode, _at: Node, name: Node, args: Node): AstAnnotation {
      const a = args.children[0];
      return {
        ...named(name),
        args: a ? ast<{ name: string; span: Span }[]>(a) : [],
        span: span(this),
      };
    },
    AnnotationArgs(_o: Node, items: Node, _c: Node) {
      return ast(items);
    },
    ident(this: NonterminalNode, _a: Node, _b: Node) {
      return { name: this.sourceString, span: span(this) };
    },
    ServiceDecl(
      this: NonterminalNode,
      d: Node,
      _k: Node,
      name: Node,
      _o: Node,
      methods: Node,
      _d: Node,
      _e: Node,
    ) {
      return {
        kind: "service",
        ...named(name),
        methods: list<AstRpc>(methods),
        doc: doc(d),
        span: span(this),
      };
    },
    RpcDecl(
      this: NonterminalNode,
      d: Node,
      _k: Node,
      name: Node,
      _o: Node,
      req: Node,
      _c: Node,
      _arrow: Node,
      rep: Node,
      _s: Node,
    ): AstRpc {
      return {
        ...named(name),
        request: req.sourceString,
        requestSpan: span(req),
        reply: rep.sourceString,
        replySpan: span(rep),
        doc: doc(d),
        span: span(this),
      };
    },
    Type_array(this: NonterminalNode, of: Node, _o: Node, _c: Node): AstType {
      return { kind: "array", of: ast<AstType>(of), span: span(this) };
    },
    Type_optional(this: NonterminalNode, of: Node, _q: Node): AstType {
      return { kind: "optional", of: ast<AstType>(of), span: span(this) };
    },
    Type_map(
      this: NonterminalNode,
      _m: Node,
      _o: Node,
      k: Node,
      _c: Node,
      v: Node,
      _e: Node,
    ): AstType {
      return { kind: "map", key: ast<AstType>(k), value: ast<AstType>(v), span: span(this) };
    },
    Type_name(this: NonterminalNode, n: Node): AstType {
      return { kind: "name", name: n.sourceString, span: span(this) };
    },
    Literal(this: NonterminalNode, n: Node): AstLiteral {
      const s = span(this);
      if (n.ctorName === "intLit")
        return { kind: "int", value: parseInt_(n.sourceString), span: s };
      if (n.ctorName === "boolLit")
        return { kind: "bool", value: n.sourceString === "true", span: s };
      return { kind: "string", value: ast<string>(n), span: s };
    },
    stringLit(this: NonterminalNode, _o: Node, _chars: Node, _c: Node): string {
      // The grammar only admits JSON-compatible escapes to the extent JSON does; anything else
      // is kept literally rather than rejected.
      try {
        return JSON.parse(this.sourceString) as string;
      } catch {
        return this.sourceString.slice(1, -1);
      }
    },
  };

  function named(name: Node) {
    return { name: name.sourceString, nameSpan: span(name) };
  }

  function setDecl(
    kind: "flags" | "enum",
    self: NonterminalNode,
    d: Node,
    name: Node,
    base: Node,
    members: Node,
  ) {
    return {
      kind,
      ...named(name),
      base: base.sourceString,
      baseSpan: span(base),
      members: list<AstMember>(members),
      doc: doc(d),
      span: span(self),
    };
  }
}

function parseInt_(s: string): bigint {
  const digits = s.replaceAll("_", "");
  // BigInt() accepts "-5" but not "-0x5".
  return digits.startsWith("-") ? -BigInt(digits.slice(1)) : BigInt(digits);
}
