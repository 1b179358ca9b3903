/**
 * Syntax trees -> the resolved model, plus diagnostics. Every rule the DSL promises is enforced
 * here, each with its stable code (diagnostics.ts); emitters can then trust the model.
 */
import path from "node:path/posix";
import type { AstAnnotation, AstField, AstFile, AstItem, AstReserved, AstType } from "./ast.js";
import {
  ANNOTATION_NAMES,
  ANNOTATIONS,
  FSLIB_ANNOTATION,
  FSLIB_MAPPINGS,
  type FslibMapping,
  noFlags,
  type AnnotationName,
  type AnnotationSpec,
} from "./annotations.js";
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { fingerprint } from "./fingerprint.js";
import type {
  AliasDecl,
  ConstDecl,
  EnumDecl,
  ErrorCodeDecl,
  Field,
  FlagsDecl,
  MessageDecl,
  MessageFlags,
  Model,
  Reserved,
  RetryClass,
  ScalarName,
  SchemaFile,
  ServiceDecl,
  Span,
  StructDecl,
  TypeRef,
} from "./model.js";

export interface CheckResult {
  model: Model | null;
  diagnostics: Diagnostic[];
}

const SCALARS: ReadonlySet<string> = new Set([
  "u8",
  "u16",
  "u32",
  "u64",
  "i64",
  "bool",
  "string",
  "bytes",
]);

const INT_RANGE: Partial<Record<ScalarName, [bigint, bigint]>> = {
  u8: [0n, 0xffn],
  u16: [0n, 0xffffn],
  u32: [0n, 0xffffffffn],
  u64: [0n, 0xffffffffffffffffn],
  i64: [-(1n << 63n), (1n << 63n) - 1n],
};

const RETRY_CLASSES: ReadonlySet<string> = new Set(["library", "caller", "unknown", "final"]);
/** Message type numbers are a Tfcall (u8); field numbers are positions in a short array. */
const MAX_MESSAGE_TYPE = 255;
const MAX_FIELD_NUMBER = 255;

type DeclKind = "alias" | "struct" | "flags" | "enum" | "message" | "service" | "const";

interface DeclRef {
  kind: DeclKind;
  file: string;
  span: Span;
  item: AstItem;
}

/**
 * Checks a set of parsed files. `imports` maps each file to the files it imports (already
 * resolved to schema-root-relative paths by the loader); a file sees its own declarations and
 * those of the files it imports directly.
 */
export function checkSchema(
  files: readonly AstFile[],
  imports: ReadonlyMap<string, readonly string[]>,
): CheckResult {
  return new Checker(files, imports).run();
}

class Checker {
  private readonly diags: Diagnostic[] = [];
  private readonly decls = new Map<string, DeclRef>();
  private readonly aliasCache = new Map<string, TypeRef | null>();
  private readonly aliasResolving = new Set<string>();

  constructor(
    private readonly files: readonly AstFile[],
    private readonly imports: ReadonlyMap<string, readonly string[]>,
  ) {}

  run(): CheckResult {
    this.collect();
    const { protocol, rootFile } = this.protocol();
    const aliases = this.aliases();
    const consts = this.consts();
    const flags = this.sets("flags") as FlagsDecl[];
    const enums = this.sets("enum") as EnumDecl[];
    const structs = this.structs();
    const messages = this.messages();
    const errors = this.errors();
    const services = this.services();
    this.structRecursion(structs);
    const schemaFiles = this.files.map((f) => this.schemaFile(f));
    const diagnostics = sortDiagnostics(this.diags);
    if (hasErrors(diagnostics) || !protocol) return { model: null, diagnostics };
    const base = {
      protocol,
      rootFile,
      files: schemaFiles,
      aliases,
      consts,
      flags,
      enums,
      structs,
      messages,
      errors,
      services,
    };
    return { model: { ...base, fingerprint: fingerprint(base) }, diagnostics };
  }

  // ---- declarations and scope -------------------------------------------------------------

  private collect(): void {
    for (const f of this.files) {
      for (const item of f.items) {
        if (!("nameSpan" in item)) continue;
        const kind = item.kind as DeclKind;
        if (SCALARS.has(item.name)) {
          this.err(
            "SIG011",
            `'${item.name}' is a built-in type and cannot be redeclared`,
            item.nameSpan,
          );
          continue;
        }
        const first = this.decls.get(item.name);
        if (first) {
          this.err("SIG011", `'${item.name}' is declared twice`, item.nameSpan, [
            { message: "first declared here", span: first.span },
          ]);
          continue;
        }
        this.decls.set(item.name, { kind, file: f.path, span: item.nameSpan, item });
      }
    }
  }

  private visible(file: string, name: string): DeclRef | "hidden" | undefined {
    const d = this.decls.get(name);
    if (!d) return undefined;
    if (d.file === file || (this.imports.get(file) ?? []).includes(d.file)) return d;
    return "hidden";
  }

  private protocol(): { protocol: Model["protocol"] | null; rootFile: string } {
    let root: Model["protocol"] | null = null;
    let rootSpan: Span | null = null;
    for (const f of this.files) {
      const headers = f.items.filter((i) => i.kind === "protocol");
      for (const h of headers.slice(1)) {
        this.err("SIG004", "a file has at most one protocol header", h.span, [
          { message: "first header here", span: headers[0]!.span },
        ]);
      }
      const h = headers[0];
      if (!h || h.kind !== "protocol") continue;
      const idx = f.items.indexOf(h);
      if (f.items.slice(0, idx).some((i) => i.kind !== "import")) {
        this.err("SIG004", "the protocol header must come first in its file", h.span);
      }
      const isRoot = path.basename(f.path) === "sigmap.sigmap" && !f.path.includes("/");
      if (!root || (isRoot && rootSpan?.file !== "sigmap.sigmap")) {
        root = { name: h.name, version: h.version, doc: h.doc };
        rootSpan = h.span;
      }
    }
    if (!root && this.files[0]) {
      const file = this.files[0].path;
      this.err("SIG004", "no file declares a protocol header (`protocol NAME version N;`)", {
        file,
        line: 1,
        col: 1,
        offset: 0,
        length: 0,
      });
    }
    return { protocol: root, rootFile: rootSpan?.file ?? "" };
  }

  // ---- types ------------------------------------------------------------------------------

  private resolveType(t: AstType, file: string, allowOptional = true): TypeRef | null {
    switch (t.kind) {
      case "array": {
        const of = this.resolveType(t.of, file, false);
        return of && { kind: "array", of };
      }
      case "optional": {
        if (!allowOptional || t.of.kind === "optional") {
          this.err("SIG081", "an optional type can only be a field's outermost type", t.span);
          return null;
        }
        const of = this.resolveType(t.of, file, false);
        return of && { kind: "optional", of };
      }
      case "map": {
        const key = this.resolveType(t.key, file, false);
        const value = this.resolveType(t.value, file, false);
        if (key) {
          const k = unalias(key);
          const ok = k.kind === "scalar" && k.name !== "bytes" && k.name !== "bool";
          if (!ok) this.err("SIG080", "a map key must be an integer or string type", t.key.span);
        }
        return key && value && { kind: "map", key, value };
      }
      case "name":
        return this.resolveName(t.name, t.span, file);
    }
  }

  private resolveName(name: string, span: Span, file: string): TypeRef | null {
    if (SCALARS.has(name)) return { kind: "scalar", name: name as ScalarName };
    const d = this.visible(file, name);
    if (d === undefined) {
      this.err("SIG010", `unknown type '${name}'`, span);
      return null;
    }
    if (d === "hidden") {
      const where = this.decls.get(name)!;
      this.err(
        "SIG010",
        `'${name}' is declared in ${where.file}, which this file does not import`,
        span,
        [{ message: "declared here", span: where.span }],
      );
      return null;
    }
    switch (d.kind) {
      case "struct":
        return { kind: "struct", name };
      case "alias": {
        const target = this.aliasTarget(name);
        return target && { kind: "alias", name, target };
      }
      case "flags":
      case "enum": {
        const item = d.item as Extract<AstItem, { kind: "flags" | "enum" }>;
        if (!isUnsignedBase(item.base)) return null; // reported on the declaration
        return { kind: d.kind, name, base: item.base as ScalarName };
      }
      default:
        this.err("SIG010", `'${name}' is a ${d.kind}, not a type`, span, [
          { message: "declared here", span: d.span },
        ]);
        return null;
    }
  }

  private aliasTarget(name: string): TypeRef | null {
    if (this.aliasCache.has(name)) return this.aliasCache.get(name)!;
    const d = this.decls.get(name)!;
    const item = d.item as Extract<AstItem, { kind: "alias" }>;
    if (this.aliasResolving.has(name)) {
      this.err("SIG082", `alias '${name}' refers to itself`, item.nameSpan);
      this.aliasCache.set(name, null);
      return null;
    }
    this.aliasResolving.add(name);
    const target = this.resolveType(item.type, d.file, false);
    this.aliasResolving.delete(name);
    this.aliasCache.set(name, target);
    return target;
  }

  private aliases(): AliasDecl[] {
    const out: AliasDecl[] = [];
    for (const { file, item } of this.items("alias")) {
      const target = this.aliasTarget(item.name);
      if (target) out.push({ name: item.name, target, doc: item.doc, file, span: item.nameSpan });
    }
    return out;
  }

  private consts(): ConstDecl[] {
    const out: ConstDecl[] = [];
    for (const { file, item } of this.items("const")) {
      const type = this.resolveType(item.type, file, false);
      if (!type) continue;
      const base = unalias(type);
      const scalar = base.kind === "scalar" ? base.name : "flags" in base ? null : null;
      const v = item.value;
      const intBase = base.kind === "scalar" ? INT_RANGE[base.name] : undefined;
      const want =
        base.kind === "scalar" && base.name === "string"
          ? "string"
          : base.kind === "scalar" && base.name === "bool"
            ? "bool"
            : intBase
              ? "int"
              : null;
      if (!want) {
        this.err(
          "SIG060",
          `constants must have an integer, bool or string type, not ${describe(type)}`,
          item.type.span,
        );
        continue;
      }
      if (v.kind !== want) {
        this.err(
          "SIG060",
          `constant '${item.name}' of type ${scalar ?? describe(type)} needs ${want === "int" ? "an integer" : `a ${want}`} value`,
          v.span,
        );
        continue;
      }
      if (v.kind === "int" && intBase && (v.value < intBase[0] || v.value > intBase[1])) {
        this.err("SIG051", `${v.value} does not fit in ${describe(type)}`, v.span);
        continue;
      }
      out.push({ name: item.name, type, value: v.value, doc: item.doc, file, span: item.nameSpan });
    }
    return out;
  }

  private sets(kind: "flags" | "enum"): (FlagsDecl | EnumDecl)[] {
    const out: (FlagsDecl | EnumDecl)[] = [];
    for (const { file, item } of this.items(kind)) {
      if (!isUnsignedBase(item.base)) {
        this.err(
          "SIG050",
          `the base of ${kind} '${item.name}' must be u8, u16 or u32, not '${item.base}'`,
          item.baseSpan,
        );
        continue;
      }
      const base = item.base as ScalarName;
      const [lo, hi] = INT_RANGE[base]!;
      const names = new Map<string, Span>();
      const values = new Map<number, Span>();
      for (const m of item.members) {
        const prev = names.get(m.name);
        if (prev)
          this.err("SIG052", `'${m.name}' appears twice in ${item.name}`, m.nameSpan, [
            { message: "first here", span: prev },
          ]);
        names.set(m.name, m.nameSpan);
        const prevV = values.get(m.value);
        if (prevV) {
          this.err("SIG052", `value ${m.value} appears twice in ${item.name}`, m.valueSpan, [
            { message: "first here", span: prevV },
          ]);
        }
        values.set(m.value, m.valueSpan);
        if (BigInt(m.value) < lo || BigInt(m.value) > hi) {
          this.err("SIG051", `${m.value} does not fit in ${base}`, m.valueSpan);
        }
      }
      out.push({
        name: item.name,
        base,
        members: item.members.map((m) => ({
          name: m.name,
          value: m.value,
          doc: m.doc,
          span: m.nameSpan,
        })),
        doc: item.doc,
        file,
        span: item.nameSpan,
      });
    }
    return out;
  }

  // ---- records ----------------------------------------------------------------------------

  private body(
    owner: string,
    body: readonly (AstField | AstReserved)[],
    file: string,
    dataPayload: boolean,
  ): { fields: Field[]; reserved: Reserved } {
    const reserved = this.reserved(
      body.filter((b): b is AstReserved => b.kind === "reserved"),
      MAX_FIELD_NUMBER,
    );
    const fields: Field[] = [];
    const byName = new Map<string, Span>();
    const byNumber = new Map<number, Span>();
    for (const f of body) {
      if (f.kind !== "field") continue;
      const prevName = byName.get(f.name);
      if (prevName) {
        this.err("SIG013", `field '${f.name}' appears twice in ${owner}`, f.nameSpan, [
          { message: "first declared here", span: prevName },
        ]);
      } else if (dataPayload && f.name === "data") {
        this.err(
          "SIG013",
          `'data' is the payload of ${owner} (@data) and cannot also be a field`,
          f.nameSpan,
        );
      }
      byName.set(f.name, f.nameSpan);
      if (f.number < 1 || f.number > MAX_FIELD_NUMBER) {
        this.err("SIG019", `field numbers run from 1 to ${MAX_FIELD_NUMBER}`, f.numberSpan);
        continue;
      }
      const prevNum = byNumber.get(f.number);
      if (prevNum) {
        this.err("SIG014", `field number ${f.number} is used twice in ${owner}`, f.numberSpan, [
          { message: "first used here", span: prevNum },
        ]);
      }
      byNumber.set(f.number, f.numberSpan);
      if (reserved.numbers.includes(f.number)) {
        this.err(
          "SIG015",
          `field number ${f.number} is reserved in ${owner}`,
          f.numberSpan,
          this.reservedSpan(body, f.number, null),
        );
      }
      if (reserved.names.includes(f.name)) {
        this.err(
          "SIG016",
          `field name '${f.name}' is reserved in ${owner}`,
          f.nameSpan,
          this.reservedSpan(body, null, f.name),
        );
      }
      const type = this.resolveType(f.type, file);
      if (type) fields.push({ name: f.name, number: f.number, type, doc: f.doc, span: f.nameSpan });
    }
    fields.sort((a, b) => a.number - b.number);
    // Positional encoding: every position up to the last field is either a field or reserved.
    const last = fields.at(-1)?.number ?? 0;
    for (let n = 1; n < last; n++) {
      if (!byNumber.has(n) && !reserved.numbers.includes(n)) {
        const next = fields.find((f) => f.number > n)!;
        this.err(
          "SIG018",
          `${owner} has no field ${n}; number fields from 1 or write \`reserved ${n};\``,
          next.span,
        );
        break;
      }
    }
    return { fields, reserved };
  }

  private reservedSpan(
    body: readonly (AstField | AstReserved)[],
    num: number | null,
    name: string | null,
  ) {
    for (const b of body) {
      if (b.kind !== "reserved") continue;
      for (const it of b.items) {
        if (
          (num !== null && it.kind !== "name" && num >= it.from && num <= it.to) ||
          (name !== null && it.name === name)
        ) {
          return [{ message: "reserved here", span: it.span }];
        }
      }
    }
    return [];
  }

  private reserved(decls: readonly AstReserved[], max: number): Reserved {
    const numbers: number[] = [];
    const names: string[] = [];
    for (const d of decls) {
      for (const it of d.items) {
        if (it.kind === "name") {
          names.push(it.name);
          continue;
        }
        if (it.from > it.to) {
          this.err("SIG090", `reserved range ${it.from} to ${it.to} is empty`, it.span);
          continue;
        }
        if (it.to > max) {
          this.err("SIG019", `reserved numbers run up to ${max}`, it.span);
          continue;
        }
        for (let n = it.from; n <= it.to; n++) numbers.push(n);
      }
    }
    return {
      numbers: [...new Set(numbers)].sort((a, b) => a - b),
      names: [...new Set(names)].sort(),
    };
  }

  private structs(): StructDecl[] {
    return this.items("struct").map(({ file, item }) => ({
      name: item.name,
      ...this.body(item.name, item.body, file, false),
      doc: item.doc,
      file,
      span: item.nameSpan,
    }));
  }

  private structRecursion(structs: readonly StructDecl[]): void {
    const byName = new Map(structs.map((s) => [s.name, s]));
    const directStructs = (s: StructDecl) =>
      s.fields.flatMap((f) => {
        const t = unalias(f.type);
        return t.kind === "struct" ? [{ field: f, name: t.name }] : [];
      });
    for (const s of structs) {
      const stack = [...directStructs(s).map((d) => ({ ...d, path: [s.name] }))];
      const seen = new Set<string>();
      while (stack.length) {
        const cur = stack.pop()!;
        if (cur.name === s.name) {
          this.err(
            "SIG091",
            `struct '${s.name}' contains itself (${[...cur.path, s.name].join(" -> ")}); make the field optional or an array`,
            s.span,
          );
          break;
        }
        if (seen.has(cur.name)) continue;
        seen.add(cur.name);
        const next = byName.get(cur.name);
        if (next)
          stack.push(...directStructs(next).map((d) => ({ ...d, path: [...cur.path, cur.name] })));
      }
    }
  }

  // ---- messages ---------------------------------------------------------------------------

  // Where each request's @fslib is, for the check that it has a fid field to fill.
  private readonly fslibSpans = new Map<string, Span>();

  private messages(): MessageDecl[] {
    const topReserved = this.reserved(
      this.files.flatMap((f) => f.items.filter((i): i is AstReserved => i.kind === "reserved")),
      MAX_MESSAGE_TYPE,
    );
    const byNumber = new Map<number, Span>();
    const out: MessageDecl[] = [];
    for (const { file, item } of this.items("message")) {
      if (item.number < 0 || item.number > MAX_MESSAGE_TYPE) {
        this.err("SIG019", `message numbers are a u8 (0 to ${MAX_MESSAGE_TYPE})`, item.numberSpan);
      }
      const prev = byNumber.get(item.number);
      if (prev) {
        this.err("SIG012", `message number ${item.number} is already used`, item.numberSpan, [
          { message: "first used here", span: prev },
        ]);
      }
      byNumber.set(item.number, item.numberSpan);
      if (topReserved.numbers.includes(item.number)) {
        this.err("SIG017", `message number ${item.number} is reserved`, item.numberSpan);
      }
      const flags = this.annotations(item.name, item.messageKind, item.annotations);
      const fslib = this.fslibMapping(item.name, item.messageKind, item.annotations);
      if (item.messageKind === "request" && !item.reply) {
        this.err(
          "SIG020",
          `request '${item.name}' has no reply; write \`request ${item.name} = ${item.number} -> Rname\``,
          item.nameSpan,
        );
      }
      if (item.messageKind === "reply" && item.reply) {
        this.err("SIG022", `reply '${item.name}' cannot name a reply of its own`, item.reply.span);
      }
      out.push({
        name: item.name,
        type: item.number,
        kind: item.messageKind,
        reply: item.reply?.name ?? null,
        answers: [],
        ...this.body(item.name, item.body, file, flags.data),
        flags,
        ...(fslib === undefined ? {} : { fslib: fslib.mapping }),
        doc: item.doc,
        file,
        span: item.nameSpan,
      });
    }
    const byName = new Map(out.map((m) => [m.name, m]));
    for (const { item } of this.items("message")) {
      if (!item.reply) continue;
      const r = byName.get(item.reply.name);
      if (!r || r.kind !== "reply") {
        const what = r
          ? "a request"
          : this.decls.has(item.reply.name)
            ? `a ${this.decls.get(item.reply.name)!.kind}`
            : "not declared";
        this.err(
          "SIG021",
          `'${item.reply.name}' is ${what}; a request's reply must be a reply message`,
          item.reply.span,
        );
        continue;
      }
      r.answers.push(item.name);
    }
    for (const m of out) {
      const span = this.fslibSpans.get(m.name);
      if (m.fslib !== undefined && m.fslib !== "none" && span !== undefined) {
        const fid = m.fields.find((f) => f.name === "fid");
        const t = fid === undefined ? undefined : unalias(fid.type);
        if (t === undefined || t.kind !== "scalar" || t.name !== "u32") {
          this.err(
            "SIG031",
            `@fslib(${m.fslib}) needs a field \`fid: u32\` on ${m.name} to put the resolved fid in`,
            span,
          );
        }
      }
    }
    for (const m of out) {
      m.answers.sort();
      if (m.kind === "reply" && m.answers.length === 0 && !m.flags.error) {
        this.warn("SIG023", `reply '${m.name}' answers no request`, m.span);
      }
    }
    return out.sort((a, b) => a.type - b.type);
  }

  private annotations(
    owner: string,
    kind: "request" | "reply",
    anns: readonly AstAnnotation[],
  ): MessageFlags {
    const flags = noFlags();
    const seen = new Map<string, Span>();
    for (const a of anns) {
      if (a.name === FSLIB_ANNOTATION) continue;
      const spec = (ANNOTATIONS as Record<string, AnnotationSpec>)[a.name];
      if (!spec) {
        this.err(
          "SIG030",
          `unknown annotation @${a.name}; known: ${ANNOTATION_NAMES.map((k) => "@" + k).join(", ")}`,
          a.span,
        );
        continue;
      }
      const prev = seen.get(a.name);
      if (prev) {
        this.err("SIG032", `@${a.name} appears twice on ${owner}`, a.span, [
          { message: "first here", span: prev },
        ]);
        continue;
      }
      seen.set(a.name, a.span);
      if (spec.on !== "any" && spec.on !== kind) {
        this.err(
          "SIG033",
          `@${a.name} applies to ${spec.on} messages, and ${owner} is a ${kind}`,
          a.span,
        );
        continue;
      }
      if (a.args.length > 0) {
        // @blocking once listed when (always, owatch, pipe); the handler decides that, not the
        // runtime, so the schema says only whether a request may wait.
        this.err("SIG031", `@${a.name} takes no arguments`, a.span);
        continue;
      }
      flags[a.name as AnnotationName] = true;
    }
    if (flags.unordered && flags.blocking) {
      this.err(
        "SIG031",
        `${owner} cannot be both @unordered and @blocking`,
        anns.find((a) => a.name === "unordered")!.span,
      );
    }
    return flags;
  }

  // `@fslib(path|fid|none)`: one argument, on a request, at most once.
  private fslibMapping(
    owner: string,
    kind: "request" | "reply",
    anns: readonly AstAnnotation[],
  ): { mapping: FslibMapping; span: Span } | undefined {
    const found = anns.filter((a) => a.name === FSLIB_ANNOTATION);
    const a = found[0];
    if (a === undefined) return undefined;
    if (found[1] !== undefined) {
      this.err("SIG032", `@${a.name} appears twice on ${owner}`, found[1].span, [
        { message: "first here", span: a.span },
      ]);
    }
    if (kind !== "request") {
      this.err(
        "SIG033",
        `@${a.name} applies to request messages, and ${owner} is a ${kind}`,
        a.span,
      );
      return undefined;
    }
    const arg = a.args.length === 1 ? a.args[0]?.name : undefined;
    const mapping = FSLIB_MAPPINGS.find((m) => m === arg);
    if (mapping === undefined) {
      this.err("SIG031", `@${a.name} takes one argument: ${FSLIB_MAPPINGS.join(", ")}`, a.span);
      return undefined;
    }
    this.fslibSpans.set(owner, a.span);
    return { mapping, span: a.span };
  }

  private errors(): ErrorCodeDecl[] {
    const out: ErrorCodeDecl[] = [];
    const byCode = new Map<number, Span>();
    const byName = new Map<string, Span>();
    for (const f of this.files) {
      for (const item of f.items) {
        if (item.kind !== "errors") continue;
        for (const e of item.entries) {
          const prevN = byName.get(e.name);
          if (prevN)
            this.err("SIG040", `error '${e.name}' is declared twice`, e.nameSpan, [
              { message: "first declared here", span: prevN },
            ]);
          byName.set(e.name, e.nameSpan);
          const prevC = byCode.get(e.code);
          if (prevC)
            this.err("SIG040", `error code ${e.code} is used twice`, e.codeSpan, [
              { message: "first used here", span: prevC },
            ]);
          byCode.set(e.code, e.codeSpan);
          if (e.code < 1 || e.code > 0xffffffff)
            this.err("SIG019", "error codes run from 1 to 2^32-1", e.codeSpan);
          if (!RETRY_CLASSES.has(e.retry)) {
            this.err(
              "SIG041",
              `unknown retry class '${e.retry}'; expected library, caller, unknown or final`,
              e.retrySpan,
            );
            continue;
          }
          out.push({
            name: e.name,
            code: e.code,
            description: e.description,
            retry: e.retry as RetryClass,
            doc: e.doc,
            file: f.path,
            span: e.nameSpan,
          });
        }
      }
    }
    return out.sort((a, b) => a.code - b.code);
  }

  private services(): ServiceDecl[] {
    return this.items("service").map(({ file, item }) => {
      const names = new Map<string, Span>();
      for (const m of item.methods) {
        const prev = names.get(m.name);
        if (prev)
          this.err(
            "SIG070",
            `method '${m.name}' appears twice in service ${item.name}`,
            m.nameSpan,
            [{ message: "first here", span: prev }],
          );
        names.set(m.name, m.nameSpan);
        for (const [name, span] of [
          [m.request, m.requestSpan],
          [m.reply, m.replySpan],
        ] as const) {
          const t = this.resolveName(name, span, file);
          if (t && unalias(t).kind !== "struct")
            this.err("SIG070", `'${name}' must be a struct to be an RPC argument or result`, span);
        }
      }
      return {
        name: item.name,
        methods: item.methods.map((m) => ({
          name: m.name,
          request: m.request,
          reply: m.reply,
          doc: m.doc,
          span: m.nameSpan,
        })),
        doc: item.doc,
        file,
        span: item.nameSpan,
      };
    });
  }

  // ---- helpers ----------------------------------------------------------------------------

  private items<K extends DeclKind>(
    kind: K,
  ): { file: string; item: Extract<AstItem, { kind: K }> }[] {
    const out: { file: string; item: Extract<AstItem, { kind: K }> }[] = [];
    for (const d of this.decls.values()) {
      if (d.kind === kind)
        out.push({ file: d.file, item: d.item as Extract<AstItem, { kind: K }> });
    }
    return out;
  }

  private schemaFile(f: AstFile): SchemaFile {
    const header = f.items.find((i) => i.kind === "protocol");
    const leading = f.items[0];
    return {
      path: f.path,
      outDir: f.path.replace(/\.sigmap$/, ""),
      protocol:
        header && header.kind === "protocol"
          ? { name: header.name, version: header.version, doc: header.doc }
          : null,
      imports: [...(this.imports.get(f.path) ?? [])],
      doc: header?.doc ?? (leading && "doc" in leading ? "" : ""),
    };
  }

  private err(
    code: Diagnostic["code"],
    message: string,
    span: Span,
    related: Diagnostic["related"] = [],
  ): void {
    this.diags.push(diag(code, message, span, related));
  }

  private warn(code: Diagnostic["code"], message: string, span: Span): void {
    this.diags.push(diag(code, message, span, [], "warning"));
  }
}

/** The type under any aliases. */
export function unalias(t: TypeRef): Exclude<TypeRef, { kind: "alias" }> {
  return t.kind === "alias" ? unalias(t.target) : t;
}

function isUnsignedBase(name: string): boolean {
  return name === "u8" || name === "u16" || name === "u32";
}

function describe(t: TypeRef): string {
  switch (t.kind) {
    case "scalar":
      return t.name;
    case "array":
      return `${describe(t.of)}[]`;
    case "optional":
      return `${describe(t.of)}?`;
    case "map":
      return `map<${describe(t.key)}, ${describe(t.value)}>`;
    default:
      return t.name;
  }
}
