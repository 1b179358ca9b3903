/**
 * The resolved schema model: what every emitter, the compat checker and `sigma schema --json`
 * read. The checker (check.ts) builds it from the parsed AST; nothing downstream re-parses text.
 */

/** A place in a schema file; lines and columns count from 1. */
export interface Span {
  file: string;
  line: number;
  col: number;
  /** Offset into the file text, and the length of the spanned text. */
  offset: number;
  length: number;
}

export type ScalarName = "u8" | "u16" | "u32" | "u64" | "i64" | "bool" | "string" | "bytes";

/**
 * A field or alias type after resolution. 64-bit scalars (u64, i64) map to `bigint`; u8, u16
 * and u32 map to `number`; bytes to `Uint8Array`.
 */
export type TypeRef =
  | { kind: "scalar"; name: ScalarName }
  | { kind: "array"; of: TypeRef }
  | { kind: "optional"; of: TypeRef }
  | { kind: "map"; key: TypeRef; value: TypeRef }
  | { kind: "alias"; name: string; target: TypeRef }
  | { kind: "struct"; name: string }
  | { kind: "flags"; name: string; base: ScalarName }
  | { kind: "enum"; name: string; base: ScalarName };

export interface Field {
  name: string;
  /** The explicit field number: 1-based position in the wire array. */
  number: number;
  type: TypeRef;
  doc: string;
  span: Span;
}

export interface Reserved {
  numbers: number[];
  names: string[];
}

export interface AliasDecl {
  name: string;
  target: TypeRef;
  doc: string;
  file: string;
  span: Span;
}

export interface ConstDecl {
  name: string;
  type: TypeRef;
  /** Integer constants are bigint so that all-ones u64 sentinels are exact. */
  value: bigint | string | boolean;
  doc: string;
  file: string;
  span: Span;
}

export interface Member {
  name: string;
  value: number;
  doc: string;
  span: Span;
}

export interface FlagsDecl {
  name: string;
  base: ScalarName;
  members: Member[];
  doc: string;
  file: string;
  span: Span;
}

export interface EnumDecl {
  name: string;
  base: ScalarName;
  members: Member[];
  doc: string;
  file: string;
  span: Span;
}

export interface StructDecl {
  name: string;
  fields: Field[];
  reserved: Reserved;
  doc: string;
  file: string;
  span: Span;
}

/** Protocol semantics a message declares with annotations (codegen/annotations.ts lists them). */
export type { MessageFlags } from "./annotations.js";
import type { FslibMapping, MessageFlags } from "./annotations.js";

export interface MessageDecl {
  name: string;
  /** The wire message type number (Tfcall). */
  type: number;
  kind: "request" | "reply";
  /** For a request: the name of its reply message. */
  reply: string | null;
  /** For a reply: the requests that it answers (filled by the checker). */
  answers: string[];
  fields: Field[];
  reserved: Reserved;
  flags: MessageFlags;
  /** `@fslib(...)`: the generated FsLib method's mapping; absent without the annotation. */
  fslib?: FslibMapping;
  doc: string;
  file: string;
  span: Span;
}

export type RetryClass = "library" | "caller" | "unknown" | "final";

export interface ErrorCodeDecl {
  name: string;
  code: number;
  description: string;
  retry: RetryClass;
  doc: string;
  file: string;
  span: Span;
}

export interface RpcMethod {
  name: string;
  request: string;
  reply: string;
  doc: string;
  span: Span;
}

export interface ServiceDecl {
  name: string;
  methods: RpcMethod[];
  doc: string;
  file: string;
  span: Span;
}

/** One schema file and the declarations it owns; emitters write one output folder per file. */
export interface SchemaFile {
  /** Path relative to the schema root, e.g. `sigmap.sigmap` or `services/echo.sigmap`. */
  path: string;
  /** Output folder under generated/, e.g. `sigmap` or `services/echo`. */
  outDir: string;
  protocol: { name: string; version: number; doc: string } | null;
  imports: string[];
  doc: string;
}

export interface Model {
  /** The protocol header of the root file. */
  protocol: { name: string; version: number; doc: string };
  /** Path of the root file: `sigmap.sigmap` when present, else the first file with a header. */
  rootFile: string;
  files: SchemaFile[];
  aliases: AliasDecl[];
  consts: ConstDecl[];
  flags: FlagsDecl[];
  enums: EnumDecl[];
  structs: StructDecl[];
  messages: MessageDecl[];
  errors: ErrorCodeDecl[];
  services: ServiceDecl[];
  /** Hex digest of the canonical wire contract (see fingerprint.ts). */
  fingerprint: string;
}
