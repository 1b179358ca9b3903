/**
 * The syntax tree of one schema file, as parse.ts builds it: names and numbers as written,
 * nothing resolved. Every node keeps its source span so the checker can point at it.
 */
import type { Span } from "./model.js";

export interface Named {
  name: string;
  nameSpan: Span;
}

export type AstType =
  | { kind: "name"; name: string; span: Span }
  | { kind: "array"; of: AstType; span: Span }
  | { kind: "optional"; of: AstType; span: Span }
  | { kind: "map"; key: AstType; value: AstType; span: Span };

export type AstLiteral =
  | { kind: "int"; value: bigint; span: Span }
  | { kind: "string"; value: string; span: Span }
  | { kind: "bool"; value: boolean; span: Span };

export interface AstReservedItem {
  kind: "number" | "range" | "name";
  from: number;
  to: number;
  name: string;
  span: Span;
  /** The bounds as written; for a name, both are the string literal. */
  fromSpan: Span;
  toSpan: Span;
}

export interface AstReserved {
  kind: "reserved";
  items: AstReservedItem[];
  doc: string;
  span: Span;
}

export interface AstField extends Named {
  kind: "field";
  type: AstType;
  number: number;
  numberSpan: Span;
  doc: string;
  span: Span;
}

export interface AstMember extends Named {
  value: number;
  valueSpan: Span;
  doc: string;
  span: Span;
}

export interface AstAnnotation extends Named {
  args: { name: string; span: Span }[];
  span: Span;
}

export interface AstErrorEntry extends Named {
  code: number;
  codeSpan: Span;
  retry: string;
  retrySpan: Span;
  description: string;
  descriptionSpan: Span;
  doc: string;
  span: Span;
}

export interface AstRpc extends Named {
  request: string;
  requestSpan: Span;
  reply: string;
  replySpan: Span;
  doc: string;
  span: Span;
}

export type AstItem =
  | { kind: "protocol"; name: string; version: number; versionSpan: Span; doc: string; span: Span }
  | { kind: "import"; path: string; pathSpan: Span; doc: string; span: Span }
  | ({ kind: "alias"; type: AstType; doc: string; span: Span } & Named)
  | ({ kind: "const"; type: AstType; value: AstLiteral; doc: string; span: Span } & Named)
  | ({
      kind: "flags" | "enum";
      base: string;
      baseSpan: Span;
      members: AstMember[];
      doc: string;
      span: Span;
    } & Named)
  | ({ kind: "struct"; body: (AstField | AstReserved)[]; doc: string; span: Span } & Named)
  | { kind: "errors"; entries: AstErrorEntry[]; doc: string; span: Span }
  | ({
      kind: "message";
      messageKind: "request" | "reply";
      number: number;
      numberSpan: Span;
      reply: { name: string; span: Span } | null;
      annotations: AstAnnotation[];
      body: (AstField | AstReserved)[];
      doc: string;
      /** The name, so that diagnostics point at it; `extent` is the whole declaration. */
      span: Span;
      /** Offsets of the declaration from its first doc comment to its closing brace. */
      extent: { start: number; end: number };
    } & Named)
  | ({ kind: "service"; methods: AstRpc[]; doc: string; span: Span } & Named)
  | AstReserved;

export interface AstFile {
  /** Path relative to the schema root, with `/` separators. */
  path: string;
  items: AstItem[];
}
