import type { ScalarName, TypeRef } from "../model.js";
import { isBigintScalar } from "./literals.js";
import type { Scope } from "./scope.js";
import { unalias } from "../check.js";

/**
 * Expressions generated codecs are made of. Encoding maps a typed value to its wire form;
 * decoding composes the runtime's readers, which take (value, path, field).
 */

const SCALAR_READERS: Record<ScalarName, string> = {
  u8: "readU8",
  u16: "readU16",
  u32: "readU32",
  u64: "readU64",
  i64: "readI64",
  bool: "readBool",
  string: "readString",
  bytes: "readBytes",
};

/** Whether a value of this type goes on the wire as it is (no conversion, no copy). */
export function isWireIdentity(t: TypeRef): boolean {
  switch (t.kind) {
    case "scalar":
    case "flags":
    case "enum":
      return !isBigintScalar(t.kind === "scalar" ? t.name : t.base);
    case "alias":
      return isWireIdentity(t.target);
    case "struct":
      return false;
    case "array":
    case "optional":
      return isWireIdentity(t.of);
    case "map":
      return isWireIdentity(t.key) && isWireIdentity(t.value);
  }
}

/** The wire form of `value` (an expression of type `t`); `depth` keeps callback names unique. */
export function encodeExpr(t: TypeRef, value: string, scope: Scope, depth = 0): string {
  switch (t.kind) {
    case "scalar":
    case "flags":
    case "enum":
      if (!isBigintScalar(t.kind === "scalar" ? t.name : t.base)) return value;
      return `${scope.runtime("contract", "int64ToWire")}(${value})`;
    case "alias":
      return encodeExpr(t.target, value, scope, depth);
    case "struct":
      return `${scope.value(`encode${t.name}`, "codec", t.name)}(${value})`;
    case "array": {
      if (isWireIdentity(t.of)) return value;
      const v = `v${depth}`;
      return `${value}.map((${v}) => ${encodeExpr(t.of, v, scope, depth + 1)})`;
    }
    case "optional":
      if (isWireIdentity(t.of)) return `${value} ?? null`;
      return `${value} === undefined ? null : ${encodeExpr(t.of, value, scope, depth)}`;
    case "map": {
      if (isWireIdentity(t)) return value;
      const k = `k${depth}`;
      const v = `v${depth}`;
      const key = encodeExpr(t.key, k, scope, depth + 1);
      const val = encodeExpr(t.value, v, scope, depth + 1);
      return `new Map(Array.from(${value}, ([${k}, ${v}]) => [${key}, ${val}] as const))`;
    }
  }
}

/** A call reading field `field` of the record at `path` from `value`. */
export function readCall(
  t: TypeRef,
  value: string,
  path: string,
  field: string,
  scope: Scope,
): string {
  const args = `${value}, ${path}, ${field}`;
  switch (t.kind) {
    case "alias":
      return readCall(t.target, value, path, field, scope);
    case "array": {
      const of = unalias(t.of);
      if (of.kind === "scalar" && of.name === "string") {
        return `${scope.runtime("contract", "readStringArray")}(${args})`;
      }
      return `${scope.runtime("contract", "readArrayOf")}(${args}, ${readerRef(t.of, scope)})`;
    }
    case "optional":
      return `${scope.runtime("contract", "readOptional")}(${args}, ${readerRef(t.of, scope)})`;
    case "map": {
      const key = readerRef(t.key, scope);
      return `${scope.runtime("contract", "readMapOf")}(${args}, ${key}, ${readerRef(t.value, scope)})`;
    }
    default:
      return `${readerRef(t, scope)}(${args})`;
  }
}

/** A Reader<T> for `t`: a function name, or an arrow for containers. */
export function readerRef(t: TypeRef, scope: Scope): string {
  switch (t.kind) {
    case "scalar":
      return scope.runtime("contract", SCALAR_READERS[t.name]);
    case "flags":
      // Unknown bits are kept: a newer peer may define more flags.
      return scope.runtime("contract", SCALAR_READERS[t.base]);
    case "alias":
      return readerRef(t.target, scope);
    case "struct":
    case "enum":
      return scope.value(`read${t.name}`, "codec", t.name);
    case "array":
    case "optional":
    case "map":
      return `(v: unknown, p: string, f: string) => ${readCall(t, "v", "p", "f", scope)}`;
  }
}
