import type { ScalarName, TypeRef } from "../model.js";
import type { Scope } from "./scope.js";

const SCALAR_TYPES: Record<ScalarName, string> = {
  u8: "number",
  u16: "number",
  u32: "number",
  u64: "bigint",
  i64: "bigint",
  bool: "boolean",
  string: "string",
  bytes: "Uint8Array",
};

/** The TypeScript spelling of a schema type; named types keep their names. */
export function tsType(t: TypeRef, scope: Scope): string {
  switch (t.kind) {
    case "scalar":
      return SCALAR_TYPES[t.name];
    case "alias":
    case "struct":
    case "flags":
    case "enum":
      return scope.type(t.name);
    case "array": {
      const of = tsType(t.of, scope);
      return /^[\w.]+$/.test(of) ? `${of}[]` : `(${of})[]`;
    }
    case "optional":
      return `${tsType(t.of, scope)} | undefined`;
    case "map":
      return `Map<${tsType(t.key, scope)}, ${tsType(t.value, scope)}>`;
  }
}

/** The TypeScript type of a scalar, for aliases, flags and enums. */
export function scalarType(name: ScalarName): string {
  return SCALAR_TYPES[name];
}
