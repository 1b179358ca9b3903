/**
 * fast-check arbitraries derived from the schema model, so round-trip and fuzz tests cover every
 * message the schema declares without a hand-kept list.
 */
import fc from "fast-check";
import { unalias } from "../../codegen/check.js";
import type { Field, MessageDecl, Model, TypeRef } from "../../codegen/model.js";

const INT: Record<string, fc.Arbitrary<number | bigint>> = {
  u8: fc.integer({ min: 0, max: 0xff }),
  u16: fc.integer({ min: 0, max: 0xffff }),
  u32: fc.integer({ min: 0, max: 0xffffffff }),
  u64: fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }),
  i64: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
};

export function arbitraryFor(model: Model, t: TypeRef, depth = 0): fc.Arbitrary<unknown> {
  const u = unalias(t);
  switch (u.kind) {
    case "scalar":
      if (u.name === "bool") return fc.boolean();
      if (u.name === "string") return fc.string({ unit: "grapheme", maxLength: 12 });
      if (u.name === "bytes") return fc.uint8Array({ maxLength: 16 });
      return INT[u.name]!;
    case "flags":
      return INT[u.base]!;
    case "enum": {
      const e = model.enums.find((x) => x.name === u.name)!;
      return fc.constantFrom(...e.members.map((m) => m.value));
    }
    case "array":
      return fc.array(arbitraryFor(model, u.of, depth + 1), { maxLength: depth > 2 ? 0 : 4 });
    case "optional":
      return depth > 2
        ? fc.constant(undefined)
        : fc.option(arbitraryFor(model, u.of, depth + 1), { nil: undefined });
    case "map":
      return fc
        .uniqueArray(
          fc.tuple(arbitraryFor(model, u.key, depth + 1), arbitraryFor(model, u.value, depth + 1)),
          { maxLength: 4, selector: ([k]) => k },
        )
        .map((entries) => new Map(entries));
    case "struct": {
      const s = model.structs.find((x) => x.name === u.name)!;
      return recordOf(model, s.fields, false, depth + 1);
    }
  }
}

export function messageArbitrary(model: Model, m: MessageDecl): fc.Arbitrary<unknown> {
  return recordOf(model, m.fields, m.flags.data, 0);
}

function recordOf(
  model: Model,
  fields: readonly Field[],
  data: boolean,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of fields) shape[f.name] = arbitraryFor(model, f.type, depth);
  if (data) shape["data"] = fc.uint8Array({ maxLength: 64 });
  return fc.record(shape);
}
