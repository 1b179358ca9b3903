import { unalias } from "../check.js";
import type { Field, Model, SchemaFile, StructDecl, TypeRef } from "../model.js";
import { member } from "./names.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { render } from "./render.js";
import { Scope, type EmitOptions } from "./scope.js";

/** The struct every frame starts with; the session layer frames with it (spec 2.1). */
export const HEADER_STRUCT = "Header";

/** Bytes an integer takes at most (marker + 8), as runtime/contract's MAX_INT_BYTES. */
const MAX_INT_BYTES = 9;

/**
 * header.ts: the session header's fast path, straight-line code from the `Header` struct: a
 * writer of exactly the bytes `pack(encodeHeader(h))` produces and a reader of exactly that
 * encoding. Anything else (a value outside its type, another integer form, a longer array)
 * falls back to the generic codec, which decides. Generated so that a change to `Header` in the
 * schema changes the fast path with it instead of silently moving every frame to the slow one.
 */
export function emitHeader(
  model: Model,
  file: SchemaFile,
  options?: EmitOptions,
): OutputFile | null {
  const scope = new Scope(model, file, "header", options);
  const header = scope.own(model.structs).find((s) => s.name === HEADER_STRUCT);
  if (header === undefined) return null;
  const ctx: Walk = { scope, writes: [], reads: [], zeros: [], max: 0 };
  scope.type(header.name);
  const value = walkStruct(ctx, header, "h", "");
  const bound = header.fields.filter((f) => kindOf(f.type) === "u64").map((f) => f.name);
  for (const name of ["writeU32", "writeU64", "MsgpackCursor"]) {
    scope.runtime("contract", name, name === "MsgpackCursor");
  }
  scope.runtime("contract", "writeBoundU64");
  scope.runtime("contract", "U64Bytes", true);
  const view = {
    header: generatedHeader(file.path),
    name: header.name,
    bound,
    maxBytes: ctx.max,
    writes: ctx.writes,
    reads: ctx.reads,
    zeros: ctx.zeros,
    value,
  };
  return {
    path: `${file.outDir}/header.ts`,
    content: render("header", { ...view, imports: scope.renderImports() }),
  };
}

interface Walk {
  scope: Scope;
  /** Statements of the writer, in order. */
  writes: string[];
  /** Statements of the reader, in order. */
  reads: string[];
  /** Frozen all-zero values of the embedded structs. */
  zeros: { name: string; type: string; value: string }[];
  max: number;
}

type Kind = { uint: number } | "u64" | { struct: StructDecl } | null;

// Writes and reads one struct; returns the expression that builds its decoded value.
function walkStruct(ctx: Walk, s: StructDecl, access: string, prefix: string): string {
  const fields = [...s.fields].sort((a, b) => a.number - b.number);
  fields.forEach((f, i) => {
    if (f.number !== i + 1) fail(s, f, "reserved field numbers are not supported");
  });
  if (fields.length > 15) fail(s, fields[15]!, "more than 15 fields");
  const marker = `0x${(0x90 | fields.length).toString(16)}`;
  ctx.writes.push(`b[p++] = ${marker};`);
  ctx.reads.push(`if (!c.take(${marker})) return null;`);
  ctx.max += 1;
  const top = prefix === "";
  const parts: string[] = [];
  for (const f of fields) {
    const kind = kindOf(f.type, ctx.scope);
    const v = member(access, f.name);
    const local =
      prefix === "" ? f.name : `${prefix}${f.name.charAt(0).toUpperCase()}${f.name.slice(1)}`;
    if (kind === null) fail(s, f, "only unsigned integers and records of them are supported");
    if (kind === "u64") {
      ctx.max += MAX_INT_BYTES;
      ctx.writes.push(
        top
          ? `if ((p = writeBoundU64(b, p, ${v}, ids.${f.name})) < 0) return -1;`
          : `if ((p = writeU64(b, p, ${v})) < 0) return -1;`,
      );
      ctx.reads.push(
        `const ${local} = ${top ? `c.boundU64(ids.${f.name})` : "c.u64()"};`,
        `if (${local} === null) return null;`,
      );
      parts.push(local === f.name ? local : `${f.name}: ${local}`);
    } else if ("uint" in kind) {
      ctx.max += MAX_INT_BYTES;
      ctx.writes.push(`if ((p = writeU32(b, p, ${v})) < 0) return -1;`);
      const check =
        kind.uint === 0xffffffff ? `${local} < 0` : `${local} < 0 || ${local} > ${hex(kind.uint)}`;
      ctx.reads.push(`const ${local} = c.uint();`, `if (${check}) return null;`);
      parts.push(local === f.name ? local : `${f.name}: ${local}`);
    } else {
      const inner = walkStruct(ctx, kind.struct, v, local);
      if (!top) {
        parts.push(`${f.name}: ${inner}`);
        continue;
      }
      // The all-zero value is the usual one (the null fence, an empty ack interval): shared.
      const zero = zeroOf(ctx, kind.struct);
      const test = leafTests(kind.struct, local, ctx.scope).join(" && ");
      parts.push(`${f.name}: ${test} ? ${zero} : ${inner}`);
    }
  }
  return `{ ${parts.join(", ")} }`;
}

function leafTests(s: StructDecl, prefix: string, scope: Scope): string[] {
  return s.fields.flatMap((f) => {
    const kind = kindOf(f.type, scope);
    const local = `${prefix}${f.name.charAt(0).toUpperCase()}${f.name.slice(1)}`;
    if (kind === "u64") return [`${local} === 0n`];
    if (kind !== null && "uint" in kind) return [`${local} === 0`];
    if (kind !== null && "struct" in kind) return leafTests(kind.struct, local, scope);
    return [];
  });
}

// The frozen all-zero value of an embedded struct, declared once.
function zeroOf(ctx: Walk, s: StructDecl): string {
  const name = `zero${s.name}`;
  if (!ctx.zeros.some((z) => z.name === name)) {
    ctx.scope.type(s.name);
    ctx.zeros.push({ name, type: s.name, value: zeroValue(s, ctx.scope) });
  }
  return name;
}

function zeroValue(s: StructDecl, scope: Scope): string {
  const parts = s.fields.map((f) => {
    const kind = kindOf(f.type, scope);
    const v =
      kind === "u64"
        ? "0n"
        : kind !== null && "struct" in kind
          ? zeroValue(kind.struct, scope)
          : "0";
    return `${f.name}: ${v}`;
  });
  return `Object.freeze({ ${parts.join(", ")} })`;
}

function kindOf(t: TypeRef, scope?: Scope): Kind {
  const u = unalias(t);
  // Not enums: their reader also checks membership, which the fast path does not.
  const base = u.kind === "scalar" ? u.name : u.kind === "flags" ? u.base : null;
  if (base === "u8") return { uint: 0xff };
  if (base === "u16") return { uint: 0xffff };
  if (base === "u32") return { uint: 0xffffffff };
  if (base === "u64") return "u64";
  if (u.kind === "struct" && scope !== undefined) {
    const s = scope.struct(u.name);
    return s === undefined ? null : { struct: s };
  }
  return null;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

function fail(s: StructDecl, f: Field, why: string): never {
  throw new Error(
    `sigma gen: the fast path of ${HEADER_STRUCT} cannot encode ${s.name}.${f.name}: ${why}`,
  );
}
