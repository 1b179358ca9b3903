import type { Field, Model, TypeRef } from "./model.js";

/**
 * What a type looks like on the wire: aliases, flags and enums collapse to their scalar and
 * structs to their positional fields, so two types with equal shapes encode identically.
 */
export function wireShape(
  type: TypeRef,
  model: Model,
  seen: ReadonlySet<string> = new Set(),
): string {
  switch (type.kind) {
    case "scalar":
      return type.name;
    case "array":
      return `${wireShape(type.of, model, seen)}[]`;
    case "optional":
      return `${wireShape(type.of, model, seen)}?`;
    case "map":
      return `map<${wireShape(type.key, model, seen)},${wireShape(type.value, model, seen)}>`;
    case "alias":
      return wireShape(type.target, model, seen);
    case "flags":
    case "enum":
      return type.base;
    case "struct":
      return structShape(type.name, model, seen);
  }
}

/** The positional layout of a struct; a struct missing from the model has a shape of its own. */
export function structShape(
  name: string,
  model: Model,
  seen: ReadonlySet<string> = new Set(),
): string {
  const decl = model.structs.find((s) => s.name === name);
  if (!decl || seen.has(name)) return `struct ${name}`;
  return fieldsShape(decl.fields, model, new Set(seen).add(name));
}

/** Positions matter as much as types: a message body is an array in field-number order. */
export function fieldsShape(
  fields: readonly Field[],
  model: Model,
  seen: ReadonlySet<string> = new Set(),
): string {
  const sorted = [...fields].sort((a, b) => a.number - b.number);
  return `{${sorted.map((f) => `${f.number}:${wireShape(f.type, model, seen)}`).join(",")}}`;
}

/** The type as generated TypeScript names it: aliases, flags, enums and structs by name. */
export function sourceShape(type: TypeRef): string {
  switch (type.kind) {
    case "scalar":
      return type.name;
    case "array":
      return `${sourceShape(type.of)}[]`;
    case "optional":
      return `${sourceShape(type.of)}?`;
    case "map":
      return `map<${sourceShape(type.key)},${sourceShape(type.value)}>`;
    case "alias":
    case "flags":
    case "enum":
    case "struct":
      return type.name;
  }
}
