/**
 * `sigma rpc`'s conversion between the JSON a user types and the records a service carries,
 * driven by the schema model, so it works for every service without generated code of its own.
 *
 * JSON → record: an object per struct (a missing field takes its zero value: 0, "", false, empty
 * bytes, [], {}, absent; an unknown one is an error); u64/i64 as a decimal string or a safe
 * integer; bytes as a base64 string or an array of byte values; maps as an object or an array of
 * [key, value] pairs; enums and flags as numbers or member names (flags: also an array of names).
 * Record → JSON: the same shapes, 64-bit integers as decimal strings and bytes as base64.
 */
import type { Field, Model, StructDecl, TypeRef } from "../../codegen/model.js";
import { CliError } from "./cli-errors.js";

export class RecordJson {
  readonly #structs: Map<string, StructDecl>;
  readonly #members: Map<string, Map<string, number>>;

  constructor(model: Model) {
    this.#structs = new Map(model.structs.map((s) => [s.name, s]));
    this.#members = new Map(
      [...model.flags, ...model.enums].map((d) => [
        d.name,
        new Map(d.members.map((m) => [m.name, m.value])),
      ]),
    );
  }

  /** The positional record for struct `name` from a JSON value. */
  toRecord(name: string, json: unknown): unknown[] {
    return this.#struct(name, json, name);
  }

  /** A JSON-ready value (bigints and bytes left for toJson) from a positional record. */
  fromRecord(name: string, record: unknown): unknown {
    return this.#fromStruct(name, record);
  }

  #struct(name: string, json: unknown, path: string): unknown[] {
    const decl = this.#decl(name);
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw bad(path, `expected an object for ${name}`);
    }
    const given = json as Record<string, unknown>;
    const known = new Set(decl.fields.map((f) => f.name));
    for (const key of Object.keys(given)) {
      if (!known.has(key)) throw bad(path, `${name} has no field ${key}`);
    }
    const out: unknown[] = new Array<unknown>(lastNumber(decl.fields)).fill(null);
    for (const f of decl.fields) {
      const v = given[f.name];
      out[f.number - 1] =
        v === undefined ? this.#zero(f.type) : this.#value(f.type, v, `${path}.${f.name}`);
    }
    return out;
  }

  #value(t: TypeRef, v: unknown, path: string): unknown {
    switch (t.kind) {
      case "alias":
        return this.#value(t.target, v, path);
      case "optional":
        return v === null ? undefined : this.#value(t.of, v, path);
      case "array":
        if (!Array.isArray(v)) throw bad(path, "expected an array");
        return v.map((x: unknown, i) => this.#value(t.of, x, `${path}[${i}]`));
      case "map":
        return new Map(
          pairs(v, path).map(([k, x]) => [
            this.#value(t.key, k, `${path} key`),
            this.#value(t.value, x, `${path}[${String(k)}]`),
          ]),
        );
      case "struct":
        return this.#struct(t.name, v, path);
      case "enum":
      case "flags":
        return this.#member(t.name, t.kind === "flags", v, path);
      case "scalar":
        return scalar(t.name, v, path);
    }
  }

  #member(name: string, isFlags: boolean, v: unknown, path: string): number {
    const members = this.#members.get(name) ?? new Map<string, number>();
    const one = (x: unknown): number => {
      if (typeof x === "number" && Number.isInteger(x)) return x;
      const m = typeof x === "string" ? members.get(x) : undefined;
      if (m === undefined) throw bad(path, `expected a number or a member of ${name}`);
      return m;
    };
    if (isFlags && Array.isArray(v)) return v.reduce((acc: number, x: unknown) => acc | one(x), 0);
    return one(v);
  }

  #zero(t: TypeRef): unknown {
    switch (t.kind) {
      case "alias":
        return this.#zero(t.target);
      case "optional":
        return undefined;
      case "array":
        return [];
      case "map":
        return new Map();
      case "struct":
        return this.#struct(t.name, {}, t.name);
      case "enum":
      case "flags":
        return 0;
      case "scalar":
        return ZERO[t.name];
    }
  }

  #fromStruct(name: string, record: unknown): Record<string, unknown> {
    const decl = this.#decl(name);
    const a = Array.isArray(record) ? (record as unknown[]) : [];
    const out: Record<string, unknown> = {};
    for (const f of decl.fields) out[f.name] = this.#fromValue(f.type, a[f.number - 1]);
    return out;
  }

  #fromValue(t: TypeRef, v: unknown): unknown {
    switch (t.kind) {
      case "alias":
        return this.#fromValue(t.target, v);
      case "optional":
        return v === null || v === undefined ? null : this.#fromValue(t.of, v);
      case "array":
        return Array.isArray(v) ? v.map((x: unknown) => this.#fromValue(t.of, x)) : [];
      case "map":
        return v instanceof Map
          ? Object.fromEntries([...v].map(([k, x]) => [String(k), this.#fromValue(t.value, x)]))
          : {};
      case "struct":
        return this.#fromStruct(t.name, v);
      case "scalar":
        return t.name === "u64" || t.name === "i64" ? BigInt(v as number | bigint) : v;
      default:
        return v;
    }
  }

  #decl(name: string): StructDecl {
    const decl = this.#structs.get(name);
    if (decl === undefined) throw new CliError(`the schema declares no struct ${name}`);
    return decl;
  }
}

const ZERO: Record<string, unknown> = {
  u8: 0,
  u16: 0,
  u32: 0,
  u64: 0n,
  i64: 0n,
  bool: false,
  string: "",
  bytes: new Uint8Array(0),
};

const LIMITS: Record<string, number> = { u8: 0xff, u16: 0xffff, u32: 0xffff_ffff };

function scalar(name: string, v: unknown, path: string): unknown {
  switch (name) {
    case "bool":
      if (typeof v !== "boolean") throw bad(path, "expected true or false");
      return v;
    case "string":
      if (typeof v !== "string") throw bad(path, "expected a string");
      return v;
    case "bytes":
      return bytesOf(v, path);
    case "u64":
    case "i64":
      return int64(name, v, path);
    default: {
      const max = LIMITS[name] ?? 0;
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) {
        throw bad(path, `expected an integer from 0 to ${max}`);
      }
      return v;
    }
  }
}

function int64(name: string, v: unknown, path: string): bigint {
  let n: bigint;
  if (typeof v === "number" && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === "string" && /^-?\d+$/.test(v)) n = BigInt(v);
  else throw bad(path, "expected a decimal string or a safe integer");
  const ok = name === "u64" ? n >= 0n && n < 1n << 64n : n >= -(1n << 63n) && n < 1n << 63n;
  if (!ok) throw bad(path, `out of range for ${name}`);
  return n;
}

function bytesOf(v: unknown, path: string): Uint8Array {
  if (typeof v === "string") {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw bad(path, "expected base64");
    return new Uint8Array(Buffer.from(v, "base64"));
  }
  if (Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)) {
    return Uint8Array.from(v as number[]);
  }
  throw bad(path, "expected a base64 string or an array of byte values");
}

function pairs(v: unknown, path: string): [unknown, unknown][] {
  if (Array.isArray(v)) {
    if (!v.every((p) => Array.isArray(p) && p.length === 2)) {
      throw bad(path, "expected [key, value] pairs");
    }
    return v as [unknown, unknown][];
  }
  if (typeof v === "object" && v !== null) {
    // Object keys are strings; integer map keys are typed as their digits.
    return Object.entries(v).map(([k, x]) => [/^-?\d+$/.test(k) ? Number(k) : k, x]);
  }
  throw bad(path, "expected an object or [key, value] pairs");
}

function lastNumber(fields: readonly Field[]): number {
  return fields.reduce((max, f) => Math.max(max, f.number), 0);
}

function bad(path: string, why: string): CliError {
  return new CliError(`request ${path}: ${why}`);
}
